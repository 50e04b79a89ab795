import { createHash } from 'node:crypto';
import { HttpError, notFound } from '../../http/errors';
import { readCapped } from '../../media/read-capped';
import { matchesDeclaredType } from '../../media/sniff';
import type { Queryable } from '../../store/db';
import { checkShopUrl } from '../provider';

/**
 * Product pictures for the app (order items, catalog carts). The app's pages show pictures from
 * the hub only (src/shared/security/csp.ts: no `https:` image source, so a crafted message cannot
 * make the page call any server), so the hub fetches them — only URLs a connected shop sent in an
 * answer (remembered here), https only, images only (the declared type must match the bytes),
 * at most 2 MiB, kept in memory (LRU) for the next agent.
 */

export const SHOP_IMAGE_MAX_BYTES = 2 * 1024 * 1024;
const CACHE_BYTES = 32 * 1024 * 1024;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export interface ShopImage {
  readonly bytes: Buffer;
  readonly contentType: string;
}

export interface ShopImages {
  /** The pictures of a shop's answer, so the app may ask for them. */
  remember(sourceId: string, urls: readonly (string | null)[], at: number): Promise<void>;
  /** A remembered picture's bytes; 404 for any other URL, 502 when the shop's CDN fails. */
  fetchImage(url: string): Promise<ShopImage>;
}

const hashOf = (url: string): string => createHash('sha256').update(url).digest('hex');

class ImageUnavailable extends HttpError {
  constructor(message: string) {
    super(502, 'bad_gateway', message);
  }
}

export function createShopImages(options: {
  readonly db: Queryable;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}): ShopImages {
  const cache = new Map<string, ShopImage>();
  let cachedBytes = 0;
  const keep = (hash: string, image: ShopImage): void => {
    cache.set(hash, image);
    cachedBytes += image.bytes.length;
    for (const [oldest, old] of cache) {
      if (cachedBytes <= CACHE_BYTES) break;
      cache.delete(oldest);
      cachedBytes -= old.bytes.length;
    }
  };

  return {
    async remember(sourceId, urls, at) {
      const wanted = [...new Set(urls.filter((u): u is string => !!u && 'url' in checkShopUrl(u)))];
      if (wanted.length === 0) return;
      await options.db.query(
        `insert into shop_images (url_hash, url, source_id, seen_at)
         select h, u, $3, $4 from unnest($1::text[], $2::text[]) as t (h, u)
         on conflict (url_hash) do update set seen_at = excluded.seen_at`,
        [wanted.map(hashOf), wanted, sourceId, at],
      );
    },

    async fetchImage(url) {
      const hash = hashOf(url);
      const hit = cache.get(hash);
      if (hit) {
        cache.delete(hash);
        cache.set(hash, hit);
        return hit;
      }
      const { rows } = await options.db.query<{ url: string }>(
        'select url from shop_images where url_hash = $1',
        [hash],
      );
      if (rows[0]?.url !== url) throw notFound('No connected shop sent this picture.');
      let response: Response;
      try {
        response = await (options.fetch ?? fetch)(url, {
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
          redirect: 'follow',
        });
      } catch {
        throw new ImageUnavailable('The shop’s picture could not be fetched.');
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new ImageUnavailable(`The shop’s picture server answered ${response.status}.`);
      }
      const contentType = response.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
      if (!IMAGE_TYPES.has(contentType)) {
        await response.body?.cancel();
        throw new ImageUnavailable('The shop’s picture is not a JPEG, PNG, GIF or WebP image.');
      }
      const bytes = await readCapped(
        response,
        SHOP_IMAGE_MAX_BYTES,
        () => new ImageUnavailable('The shop’s picture is larger than 2 MiB.'),
      );
      if (!matchesDeclaredType(bytes, contentType))
        throw new ImageUnavailable('The shop’s picture is not the image it claims to be.');
      const image = { bytes, contentType };
      keep(hash, image);
      return image;
    },
  };
}

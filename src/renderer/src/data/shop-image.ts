import { useEffect, useState } from 'react';
import type { DataLayer } from './data-layer';
import { useOptionalData } from './hooks';

/**
 * A shop's product picture (order items, catalog carts) as an object URL. The page may show
 * pictures from the hub only (its Content-Security-Policy), so the hub fetches them for the app
 * (`GET /api/orders/image?src=`, only URLs a connected shop sent); the token travels in the
 * header. Each picture is asked for once per session; the newest 300 are kept.
 */

const KEPT = 300;
const pictures = new Map<string, Promise<string | null>>();

function pictureOf(layer: DataLayer, url: string): Promise<string | null> {
  const known = pictures.get(url);
  if (known) return known;
  const pending = layer
    .download(`/api/orders/image?src=${encodeURIComponent(url)}`)
    .then(({ blob }) => URL.createObjectURL(blob))
    .catch(() => {
      // Not fetched (offline, gone, not an image): asked again next time it is shown.
      pictures.delete(url);
      return null;
    });
  pictures.set(url, pending);
  for (const [oldest, picture] of pictures) {
    if (pictures.size <= KEPT) break;
    pictures.delete(oldest);
    void picture.then((objectUrl) => objectUrl && URL.revokeObjectURL(objectUrl));
  }
  return pending;
}

/** The picture's object URL once the hub handed it over; null until then, or without one. */
export function useShopImage(url: string | null): string | null {
  const layer = useOptionalData();
  const [shown, setShown] = useState<{ url: string; objectUrl: string | null } | null>(null);
  useEffect(() => {
    if (!layer || !url || !/^https?:\/\//i.test(url)) return undefined;
    let live = true;
    void pictureOf(layer, url).then((objectUrl) => {
      if (live) setShown({ url, objectUrl });
    });
    return () => {
      live = false;
    };
  }, [layer, url]);
  return shown !== null && shown.url === url ? shown.objectUrl : null;
}

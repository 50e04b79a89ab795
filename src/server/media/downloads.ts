import type { ChannelKind } from '../../shared/domain/channels';
import type { Attachment, MessageMedia } from '../../shared/domain/model';
import { baseMimeType, formatBytes, kindLimit, type MediaKind } from '../../shared/media/limits';
import { CHANNEL_INFO } from '../../shared/domain/channels';
import { messageUpdated, type SequencedEvent } from '../../shared/protocol/events';
import { ChannelMediaError, type ChannelMedia, type DownloadedMedia } from '../channels/types';
import type { EventBus } from '../realtime/event-bus';
import type { Db } from '../store/db';
import { appendEvents } from '../store/events';
import { instanceAlive } from '../store/hub-locks';
import { toMessage, type MessageRow } from '../store/messages';
import { matchesDeclaredType } from './sniff';
import { putMediaFile, sha256Of } from './store';
import {
  findThumbnail,
  isThumbnailed,
  putThumbnail,
  thumbnailOf,
  type ThumbnailOutcome,
} from './thumbnails';

export interface MediaDownloads {
  /** Look for due downloads now (a media message was stored). */
  wake(): void;
  /** Run every due download to its end (stored, failed or put off); tests and shutdown. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export interface MediaDownloadsOptions {
  readonly db: Db;
  readonly bus: EventBus;
  readonly now: () => number;
  /** The channel's media part for an account (null: nothing can fetch it). */
  readonly mediaFor: (channel: ChannelKind, channelAccountId: string) => ChannelMedia | null;
  /** This hub's instance id (its advisory lock says it is alive, as for sends). */
  readonly instanceId: string;
  /** Attempts before a retryable failure becomes final (default 6: about a minute of backoff). */
  readonly maxAttempts?: number;
  /** First retry delay (default 2 s), doubled per attempt up to `maxDelayMs` (default 60 s). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly pollMs?: number;
  /** How long one download may take (default 60 s). */
  readonly timeoutMs?: number;
  /** Downloads at once (default 4). */
  readonly concurrency?: number;
}

interface JobRow {
  message_id: string;
  channel: ChannelKind;
  channel_account_id: string;
  content_type: string;
  media: MessageMedia;
  attempts: number;
}

/** Inbound files on channels without a published limit: WhatsApp's largest (documents). */
export const FALLBACK_MAX_BYTES = 100 * 1024 * 1024;

type Outcome =
  | { readonly ok: true; readonly file: DownloadedMedia; readonly sha256: string }
  | { readonly ok: false; readonly retryable: boolean; readonly reason: string };

const KINDS: readonly string[] = ['image', 'video', 'audio', 'document', 'sticker'];

/** The most a file of this content type may weigh on the channel. */
export function inboundLimit(channel: ChannelKind, contentType: string): number {
  if (!KINDS.includes(contentType)) return FALLBACK_MAX_BYTES;
  return kindLimit(channel, contentType as MediaKind)?.maxBytes ?? FALLBACK_MAX_BYTES;
}

/** A channel's SHA-256 of the file, hex or base64 (WhatsApp gives both), as hex; else null. */
function channelHash(value: string | undefined): string | null {
  if (!value) return null;
  if (/^[0-9a-fA-F]{64}$/.test(value)) return value.toLowerCase();
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : null;
}

/**
 * The download worker (issue #14 item 4). Ingestion stores a media message with its attachment
 * `pending` and a job in `media_downloads`; this worker, after the commit and never in its way,
 * fetches the file through the channel's `ChannelMedia`, checks it (size within the channel's
 * limit for the kind, first bytes matching the type, the channel's hash when it gives one),
 * stores it once per hash and marks the attachment `ready` — each change a `message.updated`.
 * A 5xx, a 429, a timeout or a dropped connection is tried again with exponential backoff; an
 * expired or unknown media id, a refused token, a file too large or not what it claims fails at
 * once, with the reason on the attachment. Jobs are rows: a restart resumes them, and a job a
 * dead hub was running is taken over by the next pass.
 */
export function startMediaDownloads(options: MediaDownloadsOptions): MediaDownloads {
  const { db, bus, now, instanceId } = options;
  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelay = options.baseDelayMs ?? 2_000;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const concurrency = options.concurrency ?? 4;
  const active = new Set<Promise<void>>();
  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;

  async function fetchFile(job: JobRow): Promise<Outcome> {
    const media = options.mediaFor(job.channel, job.channel_account_id);
    const channelName = CHANNEL_INFO[job.channel].label;
    if (!media) {
      return {
        ok: false,
        retryable: false,
        reason: `No ${channelName} connection can fetch files for account ${job.channel_account_id}.`,
      };
    }
    const maxBytes = inboundLimit(job.channel, job.content_type);
    let file: DownloadedMedia;
    try {
      file = await media.download(
        job.media,
        job.channel_account_id,
        AbortSignal.timeout(timeoutMs),
        {
          maxBytes,
        },
      );
    } catch (error) {
      if (error instanceof ChannelMediaError)
        return { ok: false, retryable: error.retryable, reason: error.message };
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return {
        ok: false,
        retryable: true,
        reason: timedOut
          ? `${channelName} did not send the file within ${Math.round(timeoutMs / 1000)} s.`
          : `Fetching the file from ${channelName} failed (${error instanceof Error ? error.message : String(error)}).`,
      };
    }
    if (file.bytes.length > maxBytes) {
      return {
        ok: false,
        retryable: false,
        reason: `The file is ${formatBytes(file.bytes.length)}, over ${channelName}'s ${formatBytes(maxBytes)} for a ${job.content_type}.`,
      };
    }
    const mimeType =
      baseMimeType(file.mimeType || job.media.mimeType || '') || 'application/octet-stream';
    if (!matchesDeclaredType(file.bytes, mimeType)) {
      return {
        ok: false,
        retryable: false,
        reason: `The file is not the ${mimeType} it claims to be; it was not kept.`,
      };
    }
    const expected = channelHash(file.sha256) ?? channelHash(job.media.sha256);
    // Hashed once: the check, the file's address and its row all use this.
    const sha256 = sha256Of(file.bytes);
    if (expected !== null && expected !== sha256) {
      return {
        ok: false,
        retryable: true,
        reason: `The file from ${channelName} did not match its SHA-256; it arrived damaged.`,
      };
    }
    return { ok: true, file: { ...file, mimeType }, sha256 };
  }

  async function setAttachment(
    job: JobRow,
    attachment: Attachment,
    at: number,
    store?: DownloadedMedia & { readonly sha256: string },
    thumbnail?: ThumbnailOutcome,
  ): Promise<readonly SequencedEvent[]> {
    return db.transaction(async (tx) => {
      const claimed = await tx.query(
        'delete from media_downloads where message_id = $1 and running_by = $2 returning 1',
        [job.message_id, instanceId],
      );
      if (claimed.rows.length === 0) return [];
      if (store) {
        await putMediaFile(
          tx,
          {
            bytes: store.bytes,
            mimeType: store.mimeType,
            filename: attachment.filename,
            sha256: store.sha256,
          },
          at,
        );
      }
      let kept = attachment;
      if (store && attachment.sha256 !== null && thumbnail) {
        // Another hub may have kept the photo's thumbnail first: the message names what is kept.
        kept = {
          ...attachment,
          thumbnail: await putThumbnail(tx, attachment.sha256, thumbnail, at),
        };
      }
      const updated = await tx.query<MessageRow>(
        'update messages set attachment = $2::jsonb, updated_at = $3 where id = $1 returning *',
        [job.message_id, JSON.stringify(kept), at],
      );
      const row = updated.rows[0];
      return row ? appendEvents(tx, [messageUpdated(toMessage(row))], at) : [];
    });
  }

  async function run(job: JobRow): Promise<void> {
    const outcome = await fetchFile(job);
    const at = now();
    const filename = job.media.filename ?? null;
    if (outcome.ok) {
      const { file, sha256 } = outcome;
      // The thumbnail is made before the attachment is `ready`, so the app that learns of the
      // file can show it at once; off the event loop, and only once per photo.
      const photo = job.content_type === 'image' && isThumbnailed(file.mimeType);
      const known = photo ? await findThumbnail(db, sha256) : undefined;
      const thumbnail: ThumbnailOutcome | undefined =
        photo && known === undefined ? await thumbnailOf(sha256, file.bytes) : undefined;
      bus.publish(
        await setAttachment(
          job,
          {
            state: 'ready',
            sha256,
            mimeType: file.mimeType,
            size: file.bytes.length,
            filename: filename ?? file.filename ?? null,
            error: null,
            ...(photo ? { thumbnail: known ?? null } : {}),
          },
          at,
          { ...file, sha256 },
          thumbnail,
        ),
      );
      return;
    }
    if (outcome.retryable && job.attempts < maxAttempts) {
      const delay = Math.min(maxDelay, baseDelay * 2 ** (job.attempts - 1));
      await db.query(
        `update media_downloads set running_since = null, running_by = null,
           next_attempt_at = $2, last_error = $3
         where message_id = $1 and running_by = $4`,
        [job.message_id, at + delay, outcome.reason, instanceId],
      );
      return;
    }
    const reason = outcome.retryable
      ? `Gave up after ${job.attempts} attempts: ${outcome.reason}`
      : outcome.reason;
    bus.publish(
      await setAttachment(
        job,
        {
          state: 'failed',
          sha256: null,
          mimeType: job.media.mimeType ?? null,
          size: null,
          filename,
          error: reason,
        },
        at,
      ),
    );
  }

  /** Jobs a hub that is gone was running: safe to run again (a download changes nothing). */
  async function recoverCutOff(): Promise<void> {
    await db.query(
      `update media_downloads set running_since = null, running_by = null
       where running_since is not null
         and (running_by is null or (running_by <> $1 and not ${instanceAlive('running_by')}))`,
      [instanceId],
    );
  }

  async function startDue(): Promise<number> {
    await recoverCutOff();
    const free = concurrency - active.size;
    if (free <= 0) return 0;
    const at = now();
    const { rows } = await db.query<JobRow>(
      `update media_downloads set running_since = $1, running_by = $2, attempts = attempts + 1
       where message_id in (
         select message_id from media_downloads
         where running_since is null and next_attempt_at <= $1
         order by next_attempt_at, message_id limit $3
         for update skip locked)
       returning message_id, channel, channel_account_id, content_type, media, attempts`,
      [at, instanceId, free],
    );
    for (const row of rows) {
      const job = { ...row, attempts: Number(row.attempts) };
      const task: Promise<void> = run(job)
        .catch((error: unknown) => {
          console.error('hub: media download:', error instanceof Error ? error.message : error);
        })
        .finally(() => {
          active.delete(task);
          schedule();
        });
      active.add(task);
    }
    return rows.length;
  }

  async function loop(): Promise<number> {
    let total = 0;
    do {
      again = false;
      total += await startDue();
    } while (again && !stopped);
    return total;
  }

  function schedule(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = loop()
      .catch((error: unknown) => {
        console.error('hub: media downloads:', error instanceof Error ? error.message : error);
        return 0;
      })
      .finally(() => {
        running = null;
      });
  }

  // A media message committed (here or, on a shared database, by another hub): fetch its file.
  const unsubscribe = bus.subscribe((events) => {
    if (
      events.some(
        (e) =>
          e.event.type === 'message.created' && e.event.message.attachment?.state === 'pending',
      )
    )
      schedule();
  });
  const timer = setInterval(schedule, options.pollMs ?? 1_000);
  timer.unref();
  schedule();

  return {
    wake: schedule,
    async runOnce() {
      let total = 0;
      for (;;) {
        while (running) await running;
        const n = await loop();
        total += n;
        if (active.size === 0 && n === 0) return total;
        await Promise.all([...active]);
      }
    },
    async stop() {
      stopped = true;
      unsubscribe();
      clearInterval(timer);
      while (running) await running;
      await Promise.all([...active]);
    },
  };
}

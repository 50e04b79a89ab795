import type { Migration } from '../store/migrations';

/**
 * Media (issue #14 items 4–6), versions 530–539. The same SQL on PGlite and PostgreSQL.
 *
 * - `media_files`: each file once, by the lower-case hex SHA-256 of its bytes (its address at
 *   `GET /api/media/<sha256>`), the bytes in the hub's database so a restart or a second hub on
 *   the same database finds them.
 * - `messages.attachment`: the message's copy of the file (`pending` → `ready` | `failed`), the
 *   shape of `attachmentSchema` in the shared model; indexed by hash, for "is this file one of
 *   this hub's messages?" on every download.
 * - `media_downloads`: one job per inbound file until it is stored or failed: attempts, when to
 *   try next, who is running it (a hub's instance id, as for sends), the last error.
 * - `media_uploads`: a file's id on a channel account once uploaded (WhatsApp media ids live 30
 *   days), so a send that is retried, or the same file sent again, is not uploaded twice; the
 *   queue row also keeps the id its send uses (`outbound_queue.channel_media_id`).
 */
export const MEDIA_MIGRATIONS: readonly Migration[] = [
  {
    version: 530,
    name: 'media files by sha256, message attachments, download jobs, channel uploads',
    sql: `
create table media_files (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  bytes bytea not null,
  mime_type text not null,
  size bigint not null,
  filename text,
  created_at bigint not null
);

alter table messages add column attachment jsonb;
create index messages_attachment_sha256_idx on messages ((attachment->>'sha256'))
  where attachment is not null;

create table media_downloads (
  message_id text primary key references messages (id) on delete cascade,
  channel text not null,
  channel_account_id text not null,
  content_type text not null,
  media jsonb not null,
  attempts integer not null default 0,
  next_attempt_at bigint not null,
  running_since bigint,
  running_by text,
  last_error text,
  created_at bigint not null
);
create index media_downloads_due_idx on media_downloads (next_attempt_at);

create table media_uploads (
  sha256 text not null references media_files (sha256),
  channel text not null,
  channel_account_id text not null,
  channel_media_id text not null,
  uploaded_at bigint not null,
  primary key (sha256, channel, channel_account_id)
);

alter table outbound_queue add column channel_media_id text;
`,
  },
  {
    version: 531,
    name: 'media bytes stored without compression',
    // Photos, audio, video and PDFs are compressed already: trying again costs time for nothing.
    sql: `alter table media_files alter column bytes set storage external;`,
  },
  {
    version: 532,
    name: 'a quick reply may carry a file',
    // `{sha256, mimeType, filename}` of a file in media_files (docs/api.md, "Media").
    sql: `alter table templates add column attachment jsonb;`,
  },
  {
    version: 533,
    name: 'public links to files for channels that fetch them by URL',
    // Issue #15: LINE and Viber take media by HTTPS URL only; the hub serves the file at an
    // unguessable link under its public address until the link expires (media/public-links.ts).
    sql: `
create table public_file_links (
  token text primary key,
  sha256 text not null references media_files (sha256) on delete cascade,
  mime_type text not null,
  filename text not null,
  created_at bigint not null,
  expires_at bigint not null
);
create index public_file_links_expires_idx on public_file_links (expires_at);
`,
  },
  {
    version: 534,
    name: 'thumbnails of stored photos',
    // One row per original that was tried (media/thumbnails.ts): the thumbnail's own file in
    // media_files, or null and why (a photo that could not be decoded is not tried again).
    sql: `
create table media_thumbnails (
  sha256 text primary key references media_files (sha256) on delete cascade,
  thumbnail_sha256 text references media_files (sha256),
  width integer,
  height integer,
  error text,
  created_at bigint not null
);
`,
  },
];

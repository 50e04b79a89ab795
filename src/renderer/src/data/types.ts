import type { Command, ErrorCode, OutgoingContent } from '../../../shared/protocol/commands';
import type { Role } from '../../../shared/domain/model';

/**
 * The contract between the app's data layer (Dexie cache, sync engine, outbox) and its screens.
 * Screens are presentational: they take these shapes as props and call these actions; only the
 * connected layer knows where the data comes from.
 */

/** The signed-in user, as the hub's hello names them. */
export interface Me {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly email: string | null;
}

/** A teammate the conversation can be assigned to (`GET /api/users`). */
export interface Teammate {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly disabled: boolean;
}

/**
 * A command waiting in the outbox (DESIGN.md rule 3): stored in IndexedDB before it is sent, sent
 * in `order`, removed when the hub acknowledges it. A `send_message` shows in its conversation as
 * a message whose status is `queued` (waiting, or sending) or `failed` (refused by the hub).
 */
export interface OutboxEntry {
  /** The command's client-generated id; the hub executes it once whatever the retries. */
  readonly clientId: string;
  /** Auto-incremented: the order commands are sent in. */
  readonly order?: number;
  readonly conversationId: string;
  readonly command: Command;
  /** Local time the agent acted. */
  readonly createdAt: number;
  readonly state: 'queued' | 'sending' | 'failed';
  /** Why the hub refused it (`window_closed`, …); null while it may still go. */
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details?: unknown;
  } | null;
  readonly attempts: number;
  /**
   * A file the message carries (issue #14 item 5): its bytes wait in the media cache's
   * `outgoing` table and go to the hub (`POST /api/media`) before the command is sent; `done`
   * once the hub has them, so a retry never uploads twice.
   */
  readonly upload?: OutboxUpload;
}

export interface OutboxUpload {
  readonly sha256: string;
  readonly channel: string;
  readonly filename: string;
  readonly mimeType: string;
  readonly size: number;
  readonly done: boolean;
}

/** A file the agent attached, checked against the channel's limits. */
export interface OutgoingAttachment {
  /**
   * The bytes, kept on this computer until the hub has them; null for a file the hub holds
   * already (a quick reply's), sent by its `sha256` with no upload.
   */
  readonly blob: Blob | null;
  readonly sha256?: string;
  readonly filename: string;
  readonly mimeType: string;
  readonly kind: 'image' | 'video' | 'audio' | 'document';
  readonly caption?: string;
  /** The conversation's channel: the hub checks the file against its limits. */
  readonly channel: string;
}

export type SyncPhase =
  /** Reading the local cache. */
  | 'opening'
  /** The first sync (or a rebuild) is paging the hub's data into the cache. */
  | 'first_sync'
  /** Connected, applying events as they come. */
  | 'live'
  /** Lost the hub after being live; retrying soon. */
  | 'reconnecting'
  /** The hub cannot be reached (several failures in a row). */
  | 'offline';

export interface SyncStatus {
  readonly phase: SyncPhase;
  /** First-sync progress; null outside the first sync. */
  readonly progress: {
    readonly conversations: number;
    readonly messages: number;
    /** Conversations the hub holds, when known. */
    readonly totalConversations: number | null;
  } | null;
  /** When the next attempt starts, on the app clock (hub-corrected); null unless waiting. */
  readonly retryAt: number | null;
  /** Why the last attempt failed, in words; null once live. */
  readonly error: string | null;
  /** The seq of the last event applied to the cache. */
  readonly lastSeq: number;
  /** Commands waiting in the outbox. */
  readonly outboxSize: number;
}

/** How a reply is sent, beside its content. */
export interface SendMessageOptions {
  /** Messenger / Instagram: with the HUMAN_AGENT tag. */
  readonly tag?: 'HUMAN_AGENT';
  /** The id of the customer's message it answers, quoted (`send_message` `replyTo`). */
  readonly replyTo?: string;
}

/** What the screens may ask of the data layer. Every method is safe offline. */
export interface DataActions {
  /** Queue a message in the outbox; returns its clientId at once. */
  sendMessage(
    conversationId: string,
    content: OutgoingContent,
    options?: SendMessageOptions,
  ): Promise<string>;
  /**
   * Queue a message carrying a file: its bytes are kept on this computer until the hub has them
   * (`POST /api/media`, then the send command), offline too. Returns its clientId.
   */
  sendAttachment(
    conversationId: string,
    attachment: OutgoingAttachment,
    options?: SendMessageOptions,
  ): Promise<string>;
  /** Take back a reply whose file is still uploading or waiting (nothing reaches the customer). */
  cancelUpload(clientId: string): Promise<void>;
  /** Queue any other command (assign, set_status, set_priority, set_labels, mark_read). */
  runCommand(command: Exclude<Command, { type: 'send_message' }>): Promise<string>;
  /** Send a failed outbox entry again (a new attempt with the same clientId). */
  retry(clientId: string): Promise<void>;
  /** Drop a failed outbox entry. */
  discard(clientId: string): Promise<void>;
  saveDraft(conversationId: string, text: string): Promise<void>;
  /** Skip the wait of a pending reconnect. */
  reconnectNow(): void;
  /** Drop the local cache and rebuild it from the hub (the outbox is kept). */
  resetLocalData(): Promise<void>;
}

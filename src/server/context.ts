import type { RateCard } from '../shared/pricing';
import type { SecretBox } from './secrets/secret-box';
import type { UserService } from './auth/users';
import type { CommandService } from './core/commands';
import type { AuditLog } from './audit/log';
import type { Auth } from './http/auth';
import type { ClientAddressResolver } from './http/client-address';
import type { OrderProvider } from './orders/provider';
import type { EventBus } from './realtime/event-bus';
import type { Db } from './store/db';

/**
 * What the hub's feature modules (API routes, background evaluators) are given: storage, the
 * event bus, the clock, accounts and their role checks. One object, so a feature needs one
 * parameter and the hub wires each feature with one line.
 */
export interface HubContext {
  readonly db: Db;
  readonly bus: EventBus;
  readonly now: () => number;
  readonly users: UserService;
  readonly auth: Auth;
  readonly commands: CommandService;
  readonly orders: OrderProvider;
  /** The rate card in force (admins may replace it: `setRateCard`). */
  readonly rateCard: () => RateCard;
  setRateCard(card: RateCard): void;
  /** Close every open realtime connection of a user (disabled, password reset, role change). */
  endSessionsOf(userId: string): void;
  /** Close the realtime connections opened with one session's token (signed out). */
  endSession(token: string): void;
  /** Seals credentials before they are stored, opens them when read (`secrets/secret-box.ts`). */
  readonly secrets: SecretBox;
  /** The hub's public address (`REPLYDESK_PUBLIC_URL`), null when it has none. */
  readonly publicUrl: () => string | null;
  /** Who asked, by address: the socket's, or the forwarded one behind a trusted proxy. */
  readonly clientAddress: ClientAddressResolver;
  /** Security-relevant actions, for admins (`audit/log.ts`). */
  readonly audit: AuditLog;
}

/** A feature's background work, stopped when the hub closes. */
export interface HubService {
  close(): Promise<void>;
}

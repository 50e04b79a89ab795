import { previewOf, type MessageContent, type User } from '../../shared/domain/model';
import type { HubEvent } from '../../shared/protocol/events';
import {
  DEFAULT_CALENDAR,
  isValidTimeZone,
  slaClocks,
  type BusinessCalendar,
  type SlaPolicy,
  type SlaPolicyInput,
} from '../../shared/sla';
import type { CommandService } from '../core/commands';
import type { EventBus } from '../realtime/event-bus';
import { newId } from '../ids';
import { loadSettings, saveCalendar, savePolicy } from '../sla/store';
import type { Db, Queryable } from '../store/db';
import { appendEvents } from '../store/events';
import {
  DEMO_TEAMMATES,
  refKey,
  type ConversationRef,
  type DemoStep,
  type DemoWorld,
} from './simulator';

/**
 * The demo's teammates inside the hub: the history they made (written in bulk, once, when a hub
 * first runs the demo) and what they do live (through the same commands an agent's app sends).
 * Also the demo's SLA policy, so a newcomer sees "first reply due in …" (issue 12, item 10).
 */

export interface DemoTeamPort {
  /** Whether this hub already holds a demo (a restart): its history is not written again. */
  seeded(): Promise<boolean>;
  /** The number above every stored demo order. */
  nextOrderNumber(): Promise<number>;
  /** The teammates' replies, resolutions and the SLA breaches of `world`'s history. */
  writeHistory(world: DemoWorld, now: number): Promise<void>;
  /** A teammate answers, unless someone else did or took the conversation. */
  reply(step: Extract<DemoStep, { kind: 'reply' }>): Promise<void>;
  /** A teammate resolves a conversation they answered (or nobody took). */
  resolve(step: Extract<DemoStep, { kind: 'resolve' }>): Promise<void>;
}

export interface DemoTeamOptions {
  readonly db: Db;
  readonly bus: EventBus;
  readonly now: () => number;
  readonly commands: CommandService;
}

/** First reply within two hours, each next one within four, counted in business hours. */
export const DEMO_SLA_POLICY: SlaPolicyInput = {
  name: 'Shop promise (demo)',
  channel: null,
  priority: null,
  firstResponseMs: 2 * 60 * 60_000,
  nextResponseMs: 4 * 60 * 60_000,
  resolutionMs: null,
  hours: 'business',
  enabled: true,
};

/** The demo shop's opening hours, in the machine's time zone: long weekdays and a Saturday. */
export function demoCalendar(timeZone: string): BusinessCalendar {
  const day = [{ start: '08:00', end: '20:00' }];
  return {
    timeZone: isValidTimeZone(timeZone) ? timeZone : 'UTC',
    weeklyHours: {
      mon: day,
      tue: day,
      wed: day,
      thu: day,
      fri: day,
      sat: [{ start: '10:00', end: '16:00' }],
      sun: [],
    },
    holidays: [],
  };
}

interface Fold {
  readonly ref: ConversationRef;
  lastInboundAt: number | null;
  sentSinceInbound: number;
  adEntryAt: number | null;
  firstReplyAfterEntryAt: number | null;
  sentSinceEntryPoint: number;
  lastMessageAt: number;
  preview: string;
  unread: number;
  status: 'open' | 'resolved';
  resolvedAt: number | null;
  openedAt: number | null;
  awaitingSince: number | null;
  firstReplyAt: number | null;
  assignee: number | null;
  touched: boolean;
}

interface Breach {
  readonly ref: ConversationRef;
  readonly target: 'first_response' | 'next_response';
  readonly dueAt: number;
  readonly teammate: number | null;
}

/**
 * The conversation facts ingestion and the commands would have written for each conversation
 * the teammates touched, folded from its history in time order (the same rules as
 * `core/ingest.ts` and `core/commands.ts`), and the targets missed on the way.
 */
function foldHistory(
  history: readonly DemoStep[],
  policy: SlaPolicy,
  calendar: BusinessCalendar,
): { folds: Fold[]; breaches: Breach[] } {
  const clock = slaClocks(calendar)[policy.hours];
  const folds = new Map<string, Fold>();
  const breaches: Breach[] = [];
  const dueOf = (fold: Fold): { target: Breach['target']; dueAt: number } | null => {
    if (fold.awaitingSince === null) return null;
    const target = fold.firstReplyAt === null ? 'first_response' : 'next_response';
    const length = target === 'first_response' ? policy.firstResponseMs : policy.nextResponseMs;
    if (length === null) return null;
    const dueAt = clock.add(Math.max(fold.awaitingSince, policy.appliesFrom), length);
    return dueAt === null ? null : { target, dueAt };
  };
  for (const step of history) {
    const ref: ConversationRef =
      step.kind === 'customer'
        ? {
            channel: step.event.channel as ConversationRef['channel'],
            channelAccountId: step.event.channelAccountId,
            customerExternalId: step.event.customer.externalId,
          }
        : step.conversation;
    const key = refKey(ref);
    let fold = folds.get(key);
    if (!fold) {
      fold = {
        ref,
        lastInboundAt: null,
        sentSinceInbound: 0,
        adEntryAt: null,
        firstReplyAfterEntryAt: null,
        sentSinceEntryPoint: 0,
        lastMessageAt: step.at,
        preview: '',
        unread: 0,
        status: 'open',
        resolvedAt: null,
        openedAt: null,
        awaitingSince: null,
        firstReplyAt: null,
        assignee: null,
        touched: false,
      };
      folds.set(key, fold);
    }
    if (step.kind === 'customer') {
      fold.lastInboundAt = step.at;
      fold.sentSinceInbound = 0;
      if (step.event.entryPoint === 'ad_referral') {
        fold.adEntryAt = step.at;
        fold.firstReplyAfterEntryAt = null;
        fold.sentSinceEntryPoint = 0;
      }
      fold.lastMessageAt = step.at;
      fold.preview = previewOf(step.event.content);
      fold.unread += 1;
      if (fold.status === 'resolved') {
        fold.status = 'open';
        fold.openedAt = step.at;
        fold.resolvedAt = null;
      }
      fold.awaitingSince ??= step.at;
      fold.openedAt ??= step.at;
      continue;
    }
    fold.touched = true;
    const due = dueOf(fold);
    if (due && step.at >= due.dueAt) {
      breaches.push({
        ref,
        target: due.target,
        dueAt: due.dueAt,
        teammate: fold.assignee ?? step.teammate,
      });
    }
    if (step.kind === 'reply') {
      const content: MessageContent = { type: 'text', body: step.body };
      fold.sentSinceInbound += 1;
      fold.sentSinceEntryPoint += 1;
      if (fold.adEntryAt !== null) fold.firstReplyAfterEntryAt ??= step.at;
      fold.lastMessageAt = Math.max(fold.lastMessageAt, step.at);
      fold.preview = previewOf(content);
      fold.unread = 0;
      fold.firstReplyAt ??= step.at;
      fold.awaitingSince = null;
      fold.assignee = step.teammate;
    } else if (fold.status !== 'resolved') {
      fold.status = 'resolved';
      fold.resolvedAt = step.at;
      fold.awaitingSince = null;
      fold.assignee ??= step.teammate;
    }
  }
  return { folds: [...folds.values()].filter((fold) => fold.touched), breaches };
}

const byRef = `v.channel = t.channel and v.channel_account_id = t.account
  and v.customer_external_id = t.customer`;

export function createDemoTeam(options: DemoTeamOptions): DemoTeamPort {
  const { db, bus, now, commands } = options;
  let teammates: User[] | null = null;

  /** The teammates' accounts, created once; nobody signs in as one (no password matches). */
  async function ensureTeammates(world: Pick<DemoWorld, 'teammates'>): Promise<User[]> {
    if (teammates) return teammates;
    const at = now();
    await db.query(
      `insert into users (id, email, name, role, password_hash, created_at, updated_at)
       select t.id, t.email, t.name, 'agent', 'demo-teammate', $4, $4
       from unnest($1::text[], $2::text[], $3::text[]) as t(id, email, name)
       on conflict do nothing`,
      [
        world.teammates.map(() => newId('usr', at)),
        world.teammates.map((mate) => mate.email),
        world.teammates.map((mate) => mate.name),
        at,
      ],
    );
    const { rows } = await db.query<User>(
      `select id, email, name, role, disabled from users where lower(email) = any($1::text[])`,
      [world.teammates.map((mate) => mate.email.toLowerCase())],
    );
    teammates = world.teammates.map(
      (mate) => rows.find((row) => row.email.toLowerCase() === mate.email.toLowerCase()) as User,
    );
    return teammates;
  }

  async function teammateOf(index: number): Promise<User | null> {
    const list = await ensureTeammates({ teammates: DEMO_TEAMMATES });
    return list[index] ?? null;
  }

  async function find(ref: ConversationRef) {
    const { rows } = await db.query<{
      id: string;
      assignee_id: string | null;
      awaiting_reply_since: number | null;
      status: string;
    }>(
      `select id, assignee_id, awaiting_reply_since, status from conversations
       where channel = $1 and channel_account_id = $2 and customer_external_id = $3`,
      [ref.channel, ref.channelAccountId, ref.customerExternalId],
    );
    return rows[0] ?? null;
  }

  /** The demo policy and opening hours, when the admin has not set any (applies from `from`). */
  async function seedSla(tx: Queryable, user: User, from: number): Promise<void> {
    const { rows } = await tx.query<{ n: number }>('select count(*)::int as n from sla_policies');
    if (Number(rows[0]?.n ?? 0) > 0) return;
    const calendar = await tx.query<{ updated_at: number }>(
      'select updated_at from sla_calendar where id = 1',
    );
    if (Number(calendar.rows[0]?.updated_at ?? 0) === 0) {
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone ?? DEFAULT_CALENDAR.timeZone;
      await saveCalendar(tx, demoCalendar(zone), from);
    }
    // Dated to the start of the history: the demo shop has had this promise all month.
    await savePolicy(tx, newId('sla', from), DEMO_SLA_POLICY, user.id, from);
  }

  return {
    async seeded() {
      const { rows } = await db.query(
        "select 1 from messages where external_id like 'demo.%' limit 1",
      );
      return rows.length > 0;
    },

    async nextOrderNumber() {
      const { rows } = await db.query<{ n: number | string | null }>(
        `select max(number::bigint) as n from orders where provider = 'demo' and number ~ '^[0-9]{1,15}$'`,
      );
      return Math.max(1001, Number(rows[0]?.n ?? 1000) + 1);
    },

    async writeHistory(world, at) {
      const mates = await ensureTeammates(world);
      const events = await db.transaction(async (tx) => {
        await seedSla(tx, mates[0] as User, world.from);
        const settings = await loadSettings(tx);
        const policy = settings.policies.find((p) => p.enabled) ?? null;
        const { folds, breaches } = policy
          ? foldHistory(world.history, policy, settings.calendar)
          : { folds: foldHistory(world.history, DISABLED, settings.calendar).folds, breaches: [] };
        const replies = world.history.filter(
          (s): s is Extract<DemoStep, { kind: 'reply' }> => s.kind === 'reply',
        );
        await tx.query(
          `insert into messages (id, conversation_id, channel, direction, content, external_id,
             author_id, status, sent_at, updated_at)
           select t.id, v.id, v.channel, 'outbound', t.content::jsonb, t.external_id, t.author,
             'read', t.sent_at, t.sent_at
           from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                       $7::text[], $8::bigint[])
             as t(id, channel, account, customer, content, external_id, author, sent_at)
           join conversations v on ${byRef}
           on conflict do nothing`,
          [
            replies.map(() => newId('msg', at)),
            replies.map((r) => r.conversation.channel),
            replies.map((r) => r.conversation.channelAccountId),
            replies.map((r) => r.conversation.customerExternalId),
            replies.map((r) => JSON.stringify({ type: 'text', body: r.body })),
            replies.map((r) => r.id),
            replies.map((r) => mates[r.teammate]?.id ?? null),
            replies.map((r) => r.at),
          ],
        );
        const col = <T>(pick: (fold: Fold) => T): T[] => folds.map(pick);
        await tx.query(
          `update conversations v set
             sent_since_inbound = t.sent_since_inbound,
             first_reply_after_entry_at = t.first_reply_after_entry_at,
             sent_since_entry_point = t.sent_since_entry_point,
             last_message_at = t.last_message_at, last_message_preview = t.preview,
             unread_count = t.unread, status = t.status, resolved_at = t.resolved_at,
             opened_at = t.opened_at, awaiting_reply_since = t.awaiting,
             first_reply_at = t.first_reply_at, assignee_id = t.assignee, updated_at = $16
           from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::int[],
                       $7::bigint[], $8::text[], $9::int[], $10::text[], $11::bigint[],
                       $12::bigint[], $13::bigint[], $14::bigint[], $15::text[])
             as t(channel, account, customer, sent_since_inbound, first_reply_after_entry_at,
                  sent_since_entry_point, last_message_at, preview, unread, status, resolved_at,
                  opened_at, awaiting, first_reply_at, assignee)
           where ${byRef}`,
          [
            col((f) => f.ref.channel),
            col((f) => f.ref.channelAccountId),
            col((f) => f.ref.customerExternalId),
            col((f) => f.sentSinceInbound),
            col((f) => f.firstReplyAfterEntryAt),
            col((f) => f.sentSinceEntryPoint),
            col((f) => f.lastMessageAt),
            col((f) => f.preview),
            col((f) => f.unread),
            col((f) => f.status),
            col((f) => f.resolvedAt),
            col((f) => f.openedAt),
            col((f) => f.awaitingSince),
            col((f) => f.firstReplyAt),
            col((f) => (f.assignee === null ? null : (mates[f.assignee]?.id ?? null))),
            at,
          ],
        );
        if (policy && breaches.length > 0) {
          await tx.query(
            `insert into sla_breaches (id, conversation_id, policy_id, target, due_at, breached_at,
               channel, priority, assignee_id)
             select t.id, v.id, $7, t.target, t.due_at, t.due_at, v.channel, v.priority, t.assignee
             from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                         $8::text[])
               as t(id, channel, account, customer, target, due_at, assignee)
             join conversations v on ${byRef}
             on conflict do nothing`,
            [
              breaches.map(() => newId('slb', at)),
              breaches.map((b) => b.ref.channel),
              breaches.map((b) => b.ref.channelAccountId),
              breaches.map((b) => b.ref.customerExternalId),
              breaches.map((b) => b.target),
              breaches.map((b) => b.dueAt),
              policy.id,
              breaches.map((b) => (b.teammate === null ? null : (mates[b.teammate]?.id ?? null))),
            ],
          );
        }
        // Written before the hub is announced (startHub resolves after the demo's history), so
        // no app has synced these conversations yet; the SLA evaluator reloads on this event
        // and takes the targets still running from here.
        const event: HubEvent = { type: 'sla.updated', sla: await loadSettings(tx) };
        return appendEvents(tx, [event], at);
      });
      bus.publish(events);
    },

    async reply(step) {
      const user = await teammateOf(step.teammate);
      const conversation = await find(step.conversation);
      if (!user || !conversation || conversation.awaiting_reply_since === null) return;
      const mates = teammates ?? [];
      if (
        conversation.assignee_id !== null &&
        !mates.some((m) => m.id === conversation.assignee_id)
      )
        return; // A person took it: the simulation keeps out.
      try {
        if (conversation.assignee_id !== user.id) {
          await commands.execute(
            { type: 'assign', conversationId: conversation.id, assigneeId: user.id },
            { clientId: `${step.id}.assign`, user },
          );
        }
        await commands.execute(
          {
            type: 'send_message',
            conversationId: conversation.id,
            content: { type: 'text', body: step.body },
          },
          { clientId: step.id, user },
        );
      } catch {
        // The window closed meanwhile, or the conversation changed: nothing to send.
      }
    },

    async resolve(step) {
      const user = await teammateOf(step.teammate);
      const conversation = await find(step.conversation);
      if (!user || !conversation || conversation.status === 'resolved') return;
      // Theirs, or nobody's (a conversation nobody answered before its window closed); the
      // customer's "thanks" after the answer does not keep it open. A person's is left alone.
      if (conversation.assignee_id !== null && conversation.assignee_id !== user.id) return;
      await commands.execute(
        { type: 'set_status', conversationId: conversation.id, status: 'resolved' },
        { clientId: `demo-resolve.${conversation.id}.${now()}`, user },
      );
    },
  };
}

const DISABLED: SlaPolicy = {
  ...DEMO_SLA_POLICY,
  id: '',
  enabled: false,
  updatedAt: 0,
  appliesFrom: 0,
};

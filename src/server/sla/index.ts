import { CHANNEL_INFO } from '../../shared/domain/channels';
import type { Conversation } from '../../shared/domain/model';
import type { HubEvent } from '../../shared/protocol/events';
import {
  businessCalendarSchema,
  dueTargetsOf,
  slaClocks,
  slaPolicyInputSchema,
  type SlaClocks,
  type SlaDue,
  type SlaFacts,
  type SlaPolicy,
  type SlaPolicyInput,
  type SlaSettings,
} from '../../shared/sla';
import type { HubContext, HubService } from '../context';
import { HttpError, notFound } from '../http/errors';
import { readJson, sendJson } from '../http/io';
import type { Router } from '../http/router';
import { newId } from '../ids';
import type { Queryable } from '../store/db';
import { appendEvents } from '../store/events';
import { recordActivity } from '../activity/record';
import {
  deletePolicy,
  getPolicy,
  loadSettings,
  recordBreaches,
  saveCalendar,
  savePolicy,
  type BreachCandidate,
} from './store';

const slaUpdated = (sla: SlaSettings): HubEvent => ({ type: 'sla.updated', sla });

/** "any channel, urgent" — a policy's scope in an error message. */
function describeScope(policy: Pick<SlaPolicy, 'channel' | 'priority'>): string {
  const channel = policy.channel === null ? 'any channel' : CHANNEL_INFO[policy.channel].label;
  return `${channel}, ${policy.priority === null ? 'any priority' : `${policy.priority} priority`}`;
}

/**
 * Two enabled policies of the same scope would make the choice arbitrary: refused, naming the
 * policy already in place.
 */
async function refuseDuplicateScope(
  q: Queryable,
  input: SlaPolicyInput,
  exceptId: string | null,
): Promise<void> {
  if (!input.enabled) return;
  const { rows } = await q.query<{ name: string }>(
    `select name from sla_policies
     where enabled and channel is not distinct from $1 and priority is not distinct from $2
       and id is distinct from $3`,
    [input.channel, input.priority, exceptId],
  );
  const other = rows[0];
  if (other) {
    const message = `Policy "${other.name}" already covers ${describeScope(input)}: disable or change it first.`;
    // Beside the channel in the editor: the scope (channel and priority) is what clashes.
    throw new HttpError(409, 'conflict', message, { fields: [{ path: 'channel', message }] });
  }
}

/**
 * Routes of SLA policies and the business calendar. Anyone signed in reads them (the app shows
 * each conversation's targets); only admins change them. Every change is one transaction with
 * an `sla.updated` event carrying the whole new settings, so apps and the evaluator follow.
 */
export function registerSlaApi(router: Router, context: HubContext): void {
  const { db, bus, auth, now } = context;
  const ACTION = 'change SLA policies';

  /** Write, then emit the settings as they are after the write. */
  async function change<T>(write: (tx: Queryable, at: number) => Promise<T>): Promise<T> {
    const at = now();
    const { result, events } = await db.transaction(async (tx) => {
      const result = await write(tx, at);
      const settings = await loadSettings(tx);
      return { result, events: await appendEvents(tx, [slaUpdated(settings)], at) };
    });
    bus.publish(events);
    return result;
  }

  router.get('/api/sla', async ({ req, res }) => {
    await auth.requireUser(req);
    sendJson(res, 200, await loadSettings(db));
  });

  router.put('/api/sla/calendar', async ({ req, res }) => {
    await auth.requireRole(req, ['admin'], ACTION);
    const calendar = await readJson(req, businessCalendarSchema);
    await change((tx, at) => saveCalendar(tx, calendar, at));
    sendJson(res, 200, await loadSettings(db));
  });

  router.post('/api/sla/policies', async ({ req, res }) => {
    const user = await auth.requireRole(req, ['admin'], ACTION);
    const input = await readJson(req, slaPolicyInputSchema);
    const policy = await change(async (tx, at) => {
      await refuseDuplicateScope(tx, input, null);
      return savePolicy(tx, newId('sla', at), input, user.id, at);
    });
    sendJson(res, 201, { policy });
  });

  router.put('/api/sla/policies/:id', async ({ req, res, params }) => {
    const user = await auth.requireRole(req, ['admin'], ACTION);
    const id = params.id ?? '';
    const input = await readJson(req, slaPolicyInputSchema);
    const policy = await change(async (tx, at) => {
      if (!(await getPolicy(tx, id))) throw notFound(`No SLA policy ${id}.`);
      await refuseDuplicateScope(tx, input, id);
      return savePolicy(tx, id, input, user.id, at);
    });
    sendJson(res, 200, { policy });
  });

  router.delete('/api/sla/policies/:id', async ({ req, res, params }) => {
    await auth.requireRole(req, ['admin'], ACTION);
    const id = params.id ?? '';
    await change(async (tx) => {
      if (!(await deletePolicy(tx, id))) throw notFound(`No SLA policy ${id}.`);
    });
    sendJson(res, 200, { deleted: id });
  });
}

/** The longest delay `setTimeout` honours (about 24.8 days); longer waits re-arm. */
const MAX_TIMER_MS = 2_147_483_647;

const factsOf = (row: SlaRow): SlaFacts => ({
  channel: row.channel,
  priority: row.priority,
  status: row.status,
  awaitingReplySince: num(row.awaiting_reply_since),
  firstReplyAt: num(row.first_reply_at),
  openedAt: num(row.opened_at),
  resolvedAt: num(row.resolved_at),
});

interface SlaRow {
  id: string;
  channel: Conversation['channel'];
  priority: Conversation['priority'];
  status: Conversation['status'];
  awaiting_reply_since: number | null;
  first_reply_at: number | null;
  opened_at: number | null;
  resolved_at: number | null;
}

const num = (value: number | null): number | null => (value === null ? null : Number(value));
const keyOf = (conversationId: string, due: SlaDue): string =>
  `${conversationId}\u0000${due.target}\u0000${due.dueAt}`;

/**
 * Evaluates SLA targets and records breaches as they happen: it keeps every running target of
 * the open conversations in memory (from the stored facts at start, then from the
 * `conversation.updated` snapshots on the bus), and one timer for the next due instant. At that
 * instant (by `context.now()`) the missed targets are written to `sla_breaches` with an
 * `sla.breached` event in the same transaction. Targets that fell due while the hub was down are
 * recorded at start; the table's uniqueness and the per-period check in `recordBreaches` make
 * re-evaluation and restarts record each miss once.
 */
export function startSla(context: HubContext): HubService {
  const { db, bus, now } = context;
  let settings: SlaSettings | null = null;
  let clocks: SlaClocks | null = null;
  /** Running targets by conversation, soonest first. */
  const running = new Map<string, SlaDue[]>();
  /** Targets already handled (recorded, or found met): not tried again. */
  const handled = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();

  /** Work runs one step at a time, in the order it was asked for. */
  const enqueue = (step: () => Promise<void>): void => {
    chain = chain.then(step).catch((error: unknown) => {
      console.error('hub: SLA evaluation failed:', error instanceof Error ? error.message : error);
    });
  };

  function track(id: string, facts: SlaFacts): void {
    if (!settings || !clocks) return;
    const due = dueTargetsOf(facts, settings, clocks).filter((d) => !handled.has(keyOf(id, d)));
    if (due.length > 0) running.set(id, due);
    else running.delete(id);
  }

  async function reload(): Promise<void> {
    settings = await loadSettings(db);
    clocks = slaClocks(settings.calendar);
    running.clear();
    if (!settings.policies.some((policy) => policy.enabled)) return;
    const { rows } = await db.query<SlaRow>(
      `select id, channel, priority, status, awaiting_reply_since, first_reply_at, opened_at,
         resolved_at
       from conversations where status <> 'resolved'`,
    );
    for (const row of rows) track(row.id, factsOf(row));
  }

  async function recordDue(): Promise<void> {
    const at = now();
    const candidates: BreachCandidate[] = [];
    for (const [conversationId, due] of running) {
      for (const item of due) {
        if (item.dueAt > at) continue;
        candidates.push({
          id: newId('slb', at),
          conversationId,
          policyId: item.policyId,
          target: item.target,
          // Once per period: a target counted from a policy's start still belongs to the wait
          // that began earlier (a breach recorded in it before is not recorded again).
          startedAt: item.since,
          dueAt: item.dueAt,
        });
      }
    }
    if (candidates.length === 0) return;
    const events = await db.transaction(async (tx) => {
      const breaches = await recordBreaches(tx, candidates);
      const out = breaches.map((breach): HubEvent => ({ type: 'sla.breached', breach }));
      // Each miss is an activity line of its conversation, dated when the target fell due.
      await recordActivity(
        tx,
        breaches.map((breach) => ({
          conversationId: breach.conversationId,
          kind: 'sla_missed' as const,
          via: 'sla' as const,
          actorId: null,
          from: null,
          to: breach.target,
          at: breach.breachedAt,
        })),
        at,
        out,
      );
      return appendEvents(tx, out, at);
    });
    for (const candidate of candidates) {
      handled.add(`${candidate.conversationId}\u0000${candidate.target}\u0000${candidate.dueAt}`);
      const left = (running.get(candidate.conversationId) ?? []).filter(
        (item) => !(item.target === candidate.target && item.dueAt === candidate.dueAt),
      );
      if (left.length > 0) running.set(candidate.conversationId, left);
      else running.delete(candidate.conversationId);
    }
    if (handled.size > 100_000) handled.clear();
    bus.publish(events);
  }

  function arm(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (closed) return;
    let next = Number.POSITIVE_INFINITY;
    for (const due of running.values()) for (const item of due) next = Math.min(next, item.dueAt);
    if (next === Number.POSITIVE_INFINITY) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, next - now()));
    timer = setTimeout(() => {
      timer = null;
      enqueue(evaluate);
    }, delay);
    timer.unref();
  }

  async function evaluate(): Promise<void> {
    if (closed) return;
    await recordDue();
    arm();
  }

  const unsubscribe = bus.subscribe((events) => {
    let reloadAll = false;
    const changed = new Map<string, Conversation>();
    for (const { event } of events) {
      if (event.type === 'sla.updated') reloadAll = true;
      else if (event.type === 'conversation.updated')
        changed.set(event.conversation.id, event.conversation);
    }
    if (!reloadAll && changed.size === 0) return;
    enqueue(async () => {
      if (closed) return;
      if (reloadAll) await reload();
      else for (const conversation of changed.values()) track(conversation.id, conversation);
      await evaluate();
    });
  });

  enqueue(async () => {
    await reload();
    await evaluate();
  });

  return {
    async close() {
      closed = true;
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
      await chain;
    },
  };
}

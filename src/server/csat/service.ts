import {
  CSAT_ANSWER_WINDOW_MS,
  CSAT_COMMENT_PROMPT,
  CSAT_COMMENT_WINDOW_MS,
  CSAT_OPTIONS,
  CSAT_THANKS,
  DEFAULT_CSAT_SETTINGS,
  csatPayload,
  csatSettingsSchema,
  csatScaleSchema,
  csatTextQuestion,
  isSatisfied,
  parseCsatPayload,
  parseTypedRating,
  scaleMax,
  type CsatResponse,
  type CsatScale,
  type CsatSettings,
} from '../../shared/csat';
import { CHANNEL_INFO, type ChannelKind } from '../../shared/domain/channels';
import {
  previewOf,
  type Conversation,
  type Message,
  type MessageContent,
} from '../../shared/domain/model';
import { conversationUpdated, messageCreated, type HubEvent } from '../../shared/protocol/events';
import type { WindowOptions } from '../../shared/reply-window';
import type { HubContext, HubService } from '../context';
import { costOf, windowOf, type StatusChange } from '../core/commands';
import { newId } from '../ids';
import { getConversation } from '../store/conversations';
import type { Queryable } from '../store/db';
import { appendEvents } from '../store/events';
import { toMessage, type MessageRow } from '../store/messages';
import { getTemplate } from '../store/templates';

/**
 * CSAT (issue 20, item 5). A resolve schedules a request (`scheduleOnStatusChange`, in the
 * command's transaction); the leader hub asks when it falls due (`startCsat`), through the
 * outbound queue like any message, within what the reply window allows and priced like any
 * message; the customer's tap or typed number is recorded against the conversation, its channel
 * and the agent who resolved it.
 */

export async function loadCsatSettings(q: Queryable): Promise<CsatSettings> {
  const { rows } = await q.query<{ settings: unknown }>(
    'select settings from csat_settings where id = 1',
  );
  const parsed = csatSettingsSchema.safeParse(rows[0]?.settings);
  return parsed.success ? parsed.data : DEFAULT_CSAT_SETTINGS;
}

export async function saveCsatSettings(
  tx: Queryable,
  settings: CsatSettings,
  userId: string,
  at: number,
): Promise<void> {
  await tx.query(
    `insert into csat_settings (id, settings, updated_at, updated_by) values (1, $1::jsonb, $2, $3)
     on conflict (id) do update set settings = $1::jsonb, updated_at = $2, updated_by = $3`,
    [JSON.stringify(settings), at, userId],
  );
}

/**
 * In `set_status`'s transaction: a resolve schedules one request (resolving again while one
 * waits asks once: the unique index keeps the first); a re-open cancels the waiting one.
 */
export async function scheduleOnStatusChange(
  tx: Queryable,
  change: StatusChange,
): Promise<HubEvent[]> {
  if (change.from === 'resolved' && change.to !== 'resolved') {
    await tx.query(
      `update csat_requests set state = 'cancelled' where conversation_id = $1 and state = 'scheduled'`,
      [change.conversationId],
    );
    return [];
  }
  if (change.to !== 'resolved') return [];
  const settings = await loadCsatSettings(tx);
  if (!settings.enabled) return [];
  await tx.query(
    `insert into csat_requests (id, conversation_id, channel, agent_id, state, scale, resolved_at,
       due_at, created_at)
     select $1, id, channel, $3, 'scheduled', $4, $5, $6, $5 from conversations where id = $2
     on conflict (conversation_id) where state = 'scheduled' do nothing`,
    [
      newId('csr', change.at),
      change.conversationId,
      change.userId,
      settings.scale,
      change.at,
      change.at + settings.delayMs,
    ],
  );
  return [];
}

interface RequestRow {
  id: string;
  conversation_id: string;
  channel: ChannelKind;
  agent_id: string | null;
  state: string;
  scale: string;
  resolved_at: number | string;
  asked_at: number | string | null;
  wants_comment: boolean;
  rating: number | null;
  satisfied: boolean | null;
  answered_at: number | string | null;
  comment: string | null;
}

const scaleOf = (row: RequestRow): CsatScale => csatScaleSchema.catch('three').parse(row.scale);

function responseOf(row: RequestRow): CsatResponse {
  return {
    requestId: row.id,
    conversationId: row.conversation_id,
    channel: row.channel,
    agentId: row.agent_id,
    scale: scaleOf(row),
    rating: Number(row.rating),
    satisfied: row.satisfied === true,
    comment: row.comment,
    answeredAt: Number(row.answered_at),
  };
}

export interface CsatDeps {
  /** Wakes the outbound queue after a commit. */
  readonly onQueued: () => void;
  readonly windowOptionsFor: (conversation: Conversation) => WindowOptions;
}

/** The longest delay `setTimeout` honours; longer waits re-arm. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The leader's part: asks when requests fall due and reads the customers' answers from the
 * messages they send (`message.created`). Re-evaluates on every conversation change, like the
 * SLA evaluator, and keeps one timer for the next due request.
 */
export function startCsat(context: HubContext, deps: CsatDeps): HubService {
  const { db, bus, now } = context;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();

  const enqueue = (step: () => Promise<void>): void => {
    chain = chain.then(step).catch((error: unknown) => {
      console.error('hub: CSAT failed:', error instanceof Error ? error.message : error);
    });
  };

  /** A message from the hub itself (no author): queued, counted against the window, priced. */
  async function queueHubMessage(
    tx: Queryable,
    conversation: Conversation,
    content: MessageContent,
    at: number,
    events: HubEvent[],
  ): Promise<Message | null> {
    const window = windowOf(conversation, at, deps.windowOptionsFor(conversation));
    const template = content.type === 'template';
    if (template ? window.allowed.kind === 'none' : window.allowed.kind !== 'free_form')
      return null;
    const kind =
      content.type === 'template'
        ? { type: 'template' as const, category: content.category }
        : { type: 'free_form' as const };
    const cost = costOf(conversation, window, kind, content, at, context.rateCard());
    const id = newId('msg', at);
    const inserted = await tx.query<MessageRow>(
      `insert into messages (id, conversation_id, channel, direction, content, status, cost,
         sent_at, updated_at)
       values ($1, $2, $3, 'outbound', $4::jsonb, 'queued', $5::jsonb, $6, $6)
       returning *`,
      [
        id,
        conversation.id,
        conversation.channel,
        JSON.stringify(content),
        JSON.stringify(cost),
        at,
      ],
    );
    await tx.query(
      'insert into outbound_queue (message_id, attempts, next_attempt_at) values ($1, 0, $2)',
      [id, at],
    );
    // Counted against the window (WeChat's 5) like an agent's message; it answers nothing, so
    // the SLA facts and the assignee stay as they are.
    await tx.query(
      `update conversations set sent_since_inbound = sent_since_inbound + 1,
         sent_since_entry_point = sent_since_entry_point + 1,
         last_message_at = greatest(last_message_at, $2), last_message_preview = $3,
         updated_at = $2
       where id = $1`,
      [conversation.id, at, previewOf(content)],
    );
    const message = toMessage(inserted.rows[0] as MessageRow);
    events.push(messageCreated(message));
    return message;
  }

  /** The question's content for this conversation now, or why it is not asked. */
  async function questionFor(
    tx: Queryable,
    conversation: Conversation,
    requestId: string,
    settings: CsatSettings,
    scale: CsatScale,
    at: number,
  ): Promise<{ content: MessageContent } | { reason: string }> {
    const window = windowOf(conversation, at, deps.windowOptionsFor(conversation));
    const options = CSAT_OPTIONS[scale];
    if (window.allowed.kind === 'free_form') {
      const buttons = options.map((o) => ({
        id: csatPayload(requestId, o.rating),
        title: o.title,
      }));
      const limits = CHANNEL_INFO[conversation.channel].replyButtons;
      // WhatsApp: interactive reply buttons (3) or a list (5); Meta's quick replies; elsewhere
      // the question asks for a number.
      const withButtons =
        conversation.channel === 'whatsapp' ||
        (limits !== undefined && limits.max >= buttons.length);
      return {
        content: withButtons
          ? { type: 'text', body: settings.question, replyButtons: buttons }
          : { type: 'text', body: csatTextQuestion(settings.question, scale) },
      };
    }
    if (conversation.channel === 'whatsapp' && window.allowed.kind === 'template_only') {
      const template = settings.whatsappTemplateId
        ? await getTemplate(tx, settings.whatsappTemplateId)
        : null;
      if (!template || template.status !== 'approved')
        return { reason: 'not asked: window closed (no approved CSAT template)' };
      // The template's quick-reply buttons, best first, answer with the ratings in that order.
      let next = 0;
      const buttonPayloads = template.buttons.map((button) => {
        if (button.type !== 'quick_reply') return '';
        const option = options[next];
        next += 1;
        return option ? csatPayload(requestId, option.rating) : '';
      });
      return {
        content: {
          type: 'template',
          templateId: template.id,
          name: template.name,
          language: template.language,
          category: template.category ?? 'utility',
          parameters: [],
          renderedBody: template.body,
          buttonPayloads,
        },
      };
    }
    return { reason: 'not asked: window closed' };
  }

  async function askDue(): Promise<void> {
    const at = now();
    const { rows } = await db.query<{ id: string }>(
      `select id from csat_requests where state = 'scheduled' and due_at <= $1 order by due_at
       limit 100`,
      [at],
    );
    for (const { id } of rows) {
      let queued = false;
      const events = await db.transaction(async (tx) => {
        const locked = await tx.query<RequestRow>(
          `select * from csat_requests where id = $1 and state = 'scheduled' for update`,
          [id],
        );
        const request = locked.rows[0];
        if (!request) return [];
        const conversation = await getConversation(tx, request.conversation_id);
        const settings = await loadCsatSettings(tx);
        const settle = (state: string, reason: string | null) =>
          tx.query(`update csat_requests set state = $2, not_asked_reason = $3 where id = $1`, [
            id,
            state,
            reason,
          ]);
        // Re-opened (the customer wrote again) or switched off since the resolve: not asked.
        if (!conversation || conversation.status !== 'resolved' || !settings.enabled) {
          await settle('cancelled', null);
          return [];
        }
        if (conversation.blockedAt !== null && conversation.blockedAt !== undefined) {
          await settle('not_asked', 'not asked: the customer blocked this account');
          return [];
        }
        const question = await questionFor(tx, conversation, id, settings, scaleOf(request), at);
        const hubEvents: HubEvent[] = [];
        const message =
          'content' in question
            ? await queueHubMessage(tx, conversation, question.content, at, hubEvents)
            : null;
        if (!message) {
          await settle(
            'not_asked',
            'reason' in question ? question.reason : 'not asked: window closed',
          );
          return [];
        }
        queued = true;
        await tx.query(
          `update csat_requests set state = 'asked', asked_at = $2, message_id = $3 where id = $1`,
          [id, at, message.id],
        );
        const updated = await getConversation(tx, conversation.id);
        if (updated) hubEvents.push(conversationUpdated(updated));
        return appendEvents(tx, hubEvents, at);
      });
      bus.publish(events);
      if (queued) deps.onQueued();
    }
  }

  /** The customer's message as an answer: a rating, or the comment after one. */
  async function readAnswer(message: Message): Promise<void> {
    const content = message.content;
    const payload =
      content.type === 'interactive_reply'
        ? content.replyId
        : content.type === 'button_reply'
          ? content.payload
          : null;
    const text = content.type === 'text' ? content.body : null;
    if (payload === null && text === null) return;
    if (payload !== null && !payload.startsWith('csat_')) return;
    const at = now();
    let queued = false;
    const events = await db.transaction(async (tx) => {
      const hubEvents: HubEvent[] = [];
      let request: RequestRow | undefined;
      let rating: number | null;
      if (payload !== null) {
        // A tap: its request, of this conversation, still waiting for its answer. A forged or
        // unknown payload, or a second tap on an answered request, records nothing.
        const parsed = parseCsatPayload(payload);
        if (!parsed) return [];
        const found = await tx.query<RequestRow>(
          `select * from csat_requests where id = $1 and conversation_id = $2 and state = 'asked'
           for update`,
          [parsed.requestId, message.conversationId],
        );
        request = found.rows[0];
        if (!request || parsed.rating > scaleMax(scaleOf(request))) return [];
        rating = parsed.rating;
      } else {
        const found = await tx.query<RequestRow>(
          `select * from csat_requests where conversation_id = $1 and state in ('asked', 'answered')
           order by asked_at desc nulls last limit 1 for update`,
          [message.conversationId],
        );
        request = found.rows[0];
        if (!request) return [];
        if (request.state === 'answered') {
          // The comment: the next message after the rating, when one was asked for.
          const answeredAt = Number(request.answered_at);
          if (
            !request.wants_comment ||
            request.comment !== null ||
            message.sentAt < answeredAt ||
            message.sentAt - answeredAt > CSAT_COMMENT_WINDOW_MS
          )
            return [];
          const saved = await tx.query<RequestRow>(
            `update csat_requests set comment = $2, comment_message_id = $3 where id = $1
             returning *`,
            [request.id, (text ?? '').slice(0, 4000), message.id],
          );
          const row = saved.rows[0] as RequestRow;
          hubEvents.push({ type: 'csat.recorded', response: responseOf(row) });
          queued = await followUp(tx, row, CSAT_THANKS, at, hubEvents);
          return appendEvents(tx, hubEvents, at);
        }
        rating = parseTypedRating(text ?? '', scaleOf(request));
        if (rating === null) return [];
      }
      if (message.sentAt - Number(request.asked_at) > CSAT_ANSWER_WINDOW_MS) return [];
      const settings = await loadCsatSettings(tx);
      const saved = await tx.query<RequestRow>(
        `update csat_requests set state = 'answered', rating = $2, satisfied = $3,
           answered_at = $4, answer_message_id = $5, wants_comment = $6
         where id = $1 returning *`,
        [
          request.id,
          rating,
          isSatisfied(scaleOf(request), rating),
          message.sentAt,
          message.id,
          settings.askComment,
        ],
      );
      const row = saved.rows[0] as RequestRow;
      hubEvents.push({ type: 'csat.recorded', response: responseOf(row) });
      queued = await followUp(
        tx,
        row,
        settings.askComment ? CSAT_COMMENT_PROMPT : CSAT_THANKS,
        at,
        hubEvents,
      );
      return appendEvents(tx, hubEvents, at);
    });
    bus.publish(events);
    if (queued) deps.onQueued();
  }

  /**
   * The hub's answer to a rating or comment; and the conversation stays resolved: the answer
   * re-opened it (a customer message does), but it asks nothing of an agent.
   */
  async function followUp(
    tx: Queryable,
    request: RequestRow,
    text: string,
    at: number,
    events: HubEvent[],
  ): Promise<boolean> {
    const conversation = await getConversation(tx, request.conversation_id);
    if (!conversation) return false;
    const message = await queueHubMessage(
      tx,
      conversation,
      { type: 'text', body: text },
      at,
      events,
    );
    await tx.query(
      `update conversations set status = 'resolved', resolved_at = $2, awaiting_reply_since = null,
         updated_at = $3
       where id = $1 and status = 'open' and resolved_at is null
         and not exists (select 1 from csat_requests r where r.conversation_id = $1
                         and r.state = 'scheduled')`,
      [conversation.id, Number(request.resolved_at), at],
    );
    const updated = await getConversation(tx, conversation.id);
    if (updated) events.push(conversationUpdated(updated));
    return message !== null;
  }

  async function arm(): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (closed) return;
    const { rows } = await db.query<{ next: number | string | null }>(
      `select min(due_at) as next from csat_requests where state = 'scheduled'`,
    );
    const next = rows[0]?.next;
    if (next === null || next === undefined) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, Number(next) - now()));
    timer = setTimeout(() => {
      timer = null;
      enqueue(evaluate);
    }, delay);
    timer.unref();
  }

  async function evaluate(): Promise<void> {
    if (closed) return;
    await askDue();
    await arm();
  }

  const unsubscribe = bus.subscribe((events) => {
    const answers: Message[] = [];
    let changed = false;
    for (const { event } of events) {
      if (event.type === 'message.created' && event.message.direction === 'inbound')
        answers.push(event.message);
      else if (event.type === 'conversation.updated' || event.type === 'csat.updated')
        changed = true;
    }
    if (answers.length === 0 && !changed) return;
    enqueue(async () => {
      if (closed) return;
      for (const message of answers) await readAnswer(message);
      await evaluate();
    });
  });

  enqueue(evaluate);

  return {
    async close() {
      closed = true;
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
      await chain;
    },
  };
}

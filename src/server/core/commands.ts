import {
  previewOf,
  quotePreviewOf,
  type Attachment,
  type ReplyQuote,
  type Conversation,
  type Message,
  type MessageContent,
  type User,
} from '../../shared/domain/model';
import { CHANNEL_INFO } from '../../shared/domain/channels';
import { checkReplyButtons } from '../../shared/domain/reply-buttons';
import {
  priceNextMessage,
  PricingError,
  recipientCountryOf,
  type RateCard,
} from '../../shared/pricing';
import type { Command } from '../../shared/protocol/commands';
import { conversationUpdated, messageCreated, type HubEvent } from '../../shared/protocol/events';
import {
  computeReplyWindow,
  describeAllowance,
  type ReplyWindow,
  type WindowOptions,
} from '../../shared/reply-window';
import { sanitizeValue, positionalNames } from '../../shared/templates';
import { badRequest, HttpError, notFound } from '../http/errors';
import { newId } from '../ids';
import type { EventBus } from '../realtime/event-bus';
import { getConversation } from '../store/conversations';
import type { Db, Queryable } from '../store/db';
import { appendEvents } from '../store/events';
import { toMessage, type MessageRow } from '../store/messages';
import { getTemplate } from '../store/templates';
import { outgoingFile } from '../media/service';
import { addNote, readMentions } from '../notes/service';
import { isCustomerCommand, runCustomerCommand } from '../customers/service';
import { changesOf, recordActivity } from '../activity/record';

export interface CommandContext {
  readonly clientId: string;
  readonly user: User;
}

export interface CommandService {
  /** Execute `command` once per client id; a retry answers the stored result. */
  execute(command: Command, context: CommandContext): Promise<unknown>;
}

/** The window as the hub sees it now: a conversation carries the engine's facts itself. */
export function windowOf(
  conversation: Conversation,
  now: number,
  windowOptions: WindowOptions = {},
): ReplyWindow {
  return computeReplyWindow(conversation.channel, conversation, now, windowOptions);
}

/** The text an SMS carries, whose segments are priced: the body, a template's rendering, a caption. */
function smsTextOf(content: MessageContent): string {
  if (content.type === 'text') return content.body;
  if (content.type === 'template') return content.renderedBody;
  return 'media' in content ? (content.media.caption ?? '') : '';
}

/**
 * What a message will cost, recorded on it when it is queued: the rate card's price for its kind
 * in this window (SMS: segments × the rate of the number's country, CHANNEL-API.md §9.3); null
 * when the card has no price for it.
 */
export function costOf(
  conversation: Conversation,
  window: ReplyWindow,
  kind: Parameters<typeof priceNextMessage>[0]['kind'],
  content: MessageContent,
  at: number,
  card: RateCard,
): Message['cost'] {
  try {
    const sms = conversation.channel === 'sms';
    const quote = priceNextMessage(
      {
        window,
        kind,
        recipientCountry:
          recipientCountryOf(conversation.channel, conversation.customer) ?? 'default',
        at,
        ...(sms ? { text: smsTextOf(content) } : {}),
      },
      card,
    );
    return { amount: quote.amount, currency: quote.currency, category: quote.category };
  } catch (error) {
    if (!(error instanceof PricingError)) throw error;
    return null;
  }
}

function windowClosed(window: ReplyWindow, now: number, what: string): HttpError {
  // The hub refuses what the channel would refuse (DESIGN.md rule 5), and names what may be
  // sent instead so the app can offer it.
  const reason = window.allowed.kind === 'none' ? ` ${window.allowed.reason}.` : '';
  return new HttpError(
    409,
    'window_closed',
    `The reply window does not allow ${what} now. Allowed: ${describeAllowance(window.allowed, now)}.${reason}`,
    { allowed: window.allowed, window },
  );
}

/** The customer blocked the business on the channel: nothing sent would reach them. */
function blockedBy(conversation: Conversation): HttpError {
  const { label, blockedReason } = CHANNEL_INFO[conversation.channel];
  const name = conversation.customer.name;
  return new HttpError(
    409,
    'blocked',
    conversation.blockedReason
      ? conversation.blockedReason
      : blockedReason
        ? `${blockedReason(name)}.`
        : `${name} blocked this account on ${label}: messages cannot reach them until they unblock it.`,
    { blockedAt: conversation.blockedAt },
  );
}

/**
 * The message a reply quotes (`send_message` `replyTo`): one of the same conversation that the
 * channel knows (it has the channel's id), refused with 400 otherwise; null where the channel
 * sends no quotes (`ChannelInfo.quotesReplies`), which then goes out as a plain message.
 */
async function quotedMessage(
  tx: Queryable,
  conversation: Conversation,
  replyTo: string | undefined,
): Promise<ReplyQuote | null> {
  if (replyTo === undefined) return null;
  const { rows } = await tx.query<Pick<MessageRow, 'conversation_id' | 'external_id' | 'content'>>(
    'select conversation_id, external_id, content from messages where id = $1',
    [replyTo],
  );
  const quoted = rows[0];
  const refuse = (message: string): HttpError =>
    badRequest(message, { fields: [{ path: 'replyTo', message }] });
  if (!quoted || quoted.conversation_id !== conversation.id)
    throw refuse(`replyTo: ${replyTo} is not a message of this conversation.`);
  if (!CHANNEL_INFO[conversation.channel].quotesReplies) return null;
  if (quoted.external_id === null)
    throw refuse(
      `replyTo: ${replyTo} has not reached ${CHANNEL_INFO[conversation.channel].label} (it has no id there), so a reply cannot quote it.`,
    );
  return { messageId: replyTo, preview: quotePreviewOf(quoted.content) };
}

export interface StatusChange {
  readonly conversationId: string;
  readonly from: Conversation['status'];
  readonly to: Conversation['status'];
  readonly userId: string;
  readonly at: number;
}

export function createCommandService(options: {
  db: Db;
  bus: EventBus;
  now: () => number;
  rateCard: () => RateCard;
  /** Wakes the outbound queue after a commit. */
  onQueued: () => void;
  /**
   * What an account's channel settings change in its window (the Page's Human Agent permission):
   * the connector's `windowOptions`. Default: the engine's defaults.
   */
  windowOptionsFor?: (conversation: Conversation) => WindowOptions;
  /**
   * A status change, in its transaction (CSAT schedules its question at a resolve and cancels it
   * at a re-open): the events it adds are published with the command's.
   */
  onStatusChange?: (tx: Queryable, change: StatusChange) => Promise<HubEvent[]>;
}): CommandService {
  const { db, bus, now } = options;

  async function sendMessage(
    tx: Queryable,
    command: Extract<Command, { type: 'send_message' }>,
    context: CommandContext,
    events: HubEvent[],
  ): Promise<{ message: Message }> {
    const conversation = await getConversation(tx, command.conversationId);
    if (!conversation) throw notFound(`No conversation ${command.conversationId}.`);
    if (conversation.blockedAt !== null && conversation.blockedAt !== undefined)
      throw blockedBy(conversation);
    const replyTo = await quotedMessage(tx, conversation, command.replyTo);
    const at = now();
    const window = windowOf(conversation, at, options.windowOptionsFor?.(conversation));
    let content: MessageContent;
    let tag: string | null = null;
    let kind: Parameters<typeof priceNextMessage>[0]['kind'];

    let attachment: Attachment | null = null;
    /** Free-form content (text, a file): within the window, or with the tag it allows. */
    const freeForm = (): void => {
      const allowed = window.allowed;
      if (allowed.kind === 'tag_only') {
        if (command.tag !== allowed.tag)
          throw windowClosed(window, at, 'a free-form message without the HUMAN_AGENT tag');
        tag = allowed.tag;
      } else if (allowed.kind !== 'free_form') {
        throw windowClosed(window, at, 'a free-form message');
      }
    };

    if (command.content.type === 'text') {
      freeForm();
      const buttons = (command.content.replyButtons ?? []).map((button) => ({
        id: button.id,
        title: sanitizeValue(button.title).trim(),
      }));
      const refused = checkReplyButtons(conversation.channel, buttons);
      if (refused !== null) throw badRequest(refused);
      content = {
        type: 'text',
        body: sanitizeValue(command.content.body),
        ...(buttons.length > 0 ? { replyButtons: buttons } : {}),
      };
      kind = { type: 'free_form' };
    } else if (command.content.type !== 'template') {
      freeForm();
      const file = await outgoingFile(tx, conversation.channel, command.content);
      content = file.content;
      attachment = file.attachment;
      kind = { type: 'free_form' };
    } else {
      const template = await getTemplate(tx, command.content.templateId);
      if (!template || template.kind !== 'whatsapp') {
        throw notFound(`No WhatsApp template ${command.content.templateId}.`);
      }
      if (template.status !== 'approved') {
        throw new HttpError(
          409,
          'conflict',
          `Template "${template.name}" is ${template.status}, not approved.`,
        );
      }
      if (!template.channels.includes(conversation.channel)) {
        throw new HttpError(
          409,
          'conflict',
          `Template "${template.name}" is not for ${conversation.channel}.`,
        );
      }
      if (window.allowed.kind === 'none') throw windowClosed(window, at, 'any message');
      const check = positionalNames(template.body);
      const expected = check.numbers.length;
      const parameters = command.content.parameters.map((value) => sanitizeValue(value).trim());
      if (parameters.length !== expected || parameters.some((value) => value === '')) {
        throw new HttpError(
          400,
          'bad_request',
          `Template "${template.name}" needs ${expected} non-empty parameters, got ${parameters.length}.`,
        );
      }
      const renderedBody = template.body.replace(
        /\{\{(\d+)\}\}/g,
        (_, n: string) => parameters[Number(n) - 1] ?? '',
      );
      content = {
        type: 'template',
        templateId: template.id,
        name: template.name,
        language: template.language,
        category: template.category ?? 'utility',
        parameters,
        renderedBody,
      };
      kind = { type: 'template', category: template.category ?? 'utility' };
    }

    const cost = costOf(conversation, window, kind, content, at, options.rateCard());

    const id = newId('msg', at);
    const inserted = await tx.query<MessageRow>(
      `insert into messages (id, conversation_id, channel, direction, content, client_id, author_id,
         status, cost, tag, sent_at, updated_at, attachment, reply_to)
       values ($1, $2, $3, 'outbound', $4::jsonb, $5, $6, 'queued', $7::jsonb, $8, $9, $9, $10::jsonb,
         $11::jsonb)
       returning *`,
      [
        id,
        conversation.id,
        conversation.channel,
        JSON.stringify(content),
        context.clientId,
        context.user.id,
        JSON.stringify(cost),
        tag,
        at,
        attachment === null ? null : JSON.stringify(attachment),
        replyTo === null ? null : JSON.stringify(replyTo),
      ],
    );
    await tx.query(
      'insert into outbound_queue (message_id, attempts, next_attempt_at) values ($1, 0, $2)',
      [id, at],
    );
    // Who it belonged to just before this reply (locked: a teammate's assignment waits).
    const owner = await tx.query<{ assignee_id: string | null }>(
      'select assignee_id from conversations where id = $1 for update',
      [conversation.id],
    );
    const ownerBefore = owner.rows[0]?.assignee_id ?? null;
    // Count the message against the window (WeChat's 5) and start WhatsApp's free entry point.
    // A reply to an unassigned conversation makes it the replier's (issue 12, item 13: two
    // agents answered the same customer), unless an admin switched that off; in this statement,
    // so a teammate's assignment committed first is kept.
    await tx.query(
      `update conversations set
         assignee_id = case
           when assignee_id is null and coalesce(
             (select assign_on_reply from workspace_settings where id = 1), true) then $4
           else assignee_id end,
         sent_since_inbound = sent_since_inbound + 1,
         sent_since_entry_point = sent_since_entry_point + 1,
         first_reply_after_entry_at = case
           when entry_point = 'ad_referral' and first_reply_after_entry_at is null then $2
           else first_reply_after_entry_at end,
         last_message_at = greatest(last_message_at, $2),
         last_message_preview = $3,
         unread_count = 0,
         first_reply_at = coalesce(first_reply_at, $2),
         awaiting_reply_since = null,
         updated_at = $2
       where id = $1`,
      [conversation.id, at, previewOf(content), context.user.id],
    );
    const message = toMessage(inserted.rows[0] as MessageRow);
    events.push(messageCreated(message));
    const updated = await getConversation(tx, conversation.id);
    if (updated) events.push(conversationUpdated(updated));
    // The reply made the conversation the replier's: an activity line "by Replydesk".
    if (updated && updated.assigneeId !== ownerBefore)
      await recordActivity(
        tx,
        [
          {
            conversationId: conversation.id,
            kind: 'assignment',
            via: 'reply',
            actorId: null,
            from: ownerBefore,
            to: updated.assigneeId,
          },
        ],
        at,
        events,
      );
    return { message };
  }

  async function updateConversation(
    tx: Queryable,
    conversationId: string,
    sql: string,
    params: unknown[],
    events: HubEvent[],
    actor?: User,
  ): Promise<{ conversationId: string }> {
    const at = now();
    // The state before, locked, so the activity line says what this command changed.
    let before: Conversation | null = null;
    if (actor) {
      await tx.query('select 1 from conversations where id = $1 for update', [conversationId]);
      before = await getConversation(tx, conversationId);
    }
    const { rows } = await tx.query<{ id: string }>(
      `update conversations set ${sql}, updated_at = $2 where id = $1 returning id`,
      [conversationId, at, ...params],
    );
    if (!rows[0]) throw notFound(`No conversation ${conversationId}.`);
    const conversation = await getConversation(tx, conversationId);
    if (conversation) events.push(conversationUpdated(conversation));
    if (actor && before && conversation)
      await recordActivity(tx, changesOf(before, conversation, actor.id), at, events);
    return { conversationId };
  }

  async function run(
    tx: Queryable,
    command: Command,
    context: CommandContext,
    events: HubEvent[],
  ): Promise<unknown> {
    // Customers' edits and merges (issue #20 item 2): src/server/customers.
    if (isCustomerCommand(command))
      return runCustomerCommand(tx, command, context.user.id, now(), events);
    switch (command.type) {
      case 'send_message':
        return sendMessage(tx, command, context, events);
      case 'assign': {
        if (command.assigneeId !== null) {
          const { rows } = await tx.query<{ disabled: boolean }>(
            'select disabled from users where id = $1',
            [command.assigneeId],
          );
          if (!rows[0] || rows[0].disabled) throw notFound(`No active user ${command.assigneeId}.`);
        }
        return updateConversation(
          tx,
          command.conversationId,
          'assignee_id = $3',
          [command.assigneeId],
          events,
          context.user,
        );
      }
      case 'set_status': {
        if (command.status === 'snoozed' && command.snoozedUntil === undefined) {
          throw new HttpError(400, 'bad_request', 'Snoozing needs snoozedUntil.');
        }
        const before = await tx.query<{ status: Conversation['status'] }>(
          'select status from conversations where id = $1 for update',
          [command.conversationId],
        );
        // SLA facts: resolving ends the wait for a reply and the open period; reopening starts
        // a new open period (src/shared/sla/policy.ts).
        const result = await updateConversation(
          tx,
          command.conversationId,
          `status = $3, snoozed_until = $4,
           resolved_at = case when $3 <> 'resolved' then null
                              when status = 'resolved' then resolved_at else $2 end,
           opened_at = case when status = 'resolved' and $3 <> 'resolved' then $2
                            else opened_at end,
           awaiting_reply_since = case when $3 = 'resolved' then null
                                       else awaiting_reply_since end`,
          [command.status, command.status === 'snoozed' ? command.snoozedUntil : null],
          events,
          context.user,
        );
        const from = before.rows[0]?.status;
        if (from !== undefined && from !== command.status && options.onStatusChange) {
          events.push(
            ...(await options.onStatusChange(tx, {
              conversationId: command.conversationId,
              from,
              to: command.status,
              userId: context.user.id,
              at: now(),
            })),
          );
        }
        return result;
      }
      case 'set_priority':
        return updateConversation(
          tx,
          command.conversationId,
          'priority = $3',
          [command.priority],
          events,
          context.user,
        );
      case 'set_labels':
        return updateConversation(
          tx,
          command.conversationId,
          'labels = $3',
          [[...new Set(command.labels)]],
          events,
          context.user,
        );
      case 'mark_read':
        return updateConversation(tx, command.conversationId, 'unread_count = 0', [], events);
      case 'add_note':
        return addNote(tx, command, context.user, context.clientId, now(), events);
      case 'read_mentions':
        return readMentions(tx, command, context.user, now(), events);
    }
  }

  return {
    async execute(command, context) {
      const outcome = await db.transaction(async (tx) => {
        // The same command sent twice at once (a retry while the first is still running, on this
        // hub's pool or on another hub): the second waits here for the first to commit, then
        // finds its answer below instead of running it again.
        await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 18))', [
          context.clientId,
        ]);
        // A retried command gets the stored answer, and runs nothing (DESIGN.md rule 3).
        const previous = await tx.query<{ result: unknown; command: string; user_id: string }>(
          'select result, command, user_id from command_results where client_id = $1',
          [context.clientId],
        );
        const stored = previous.rows[0];
        if (stored) {
          if (stored.command !== command.type || stored.user_id !== context.user.id) {
            throw new HttpError(
              409,
              'conflict',
              `Client id ${context.clientId} was already used for another command.`,
            );
          }
          return { result: stored.result, events: [], queued: false };
        }
        const hubEvents: HubEvent[] = [];
        const result = await run(tx, command, context, hubEvents);
        await tx.query(
          'insert into command_results (client_id, user_id, command, result, created_at) values ($1, $2, $3, $4::jsonb, $5)',
          [context.clientId, context.user.id, command.type, JSON.stringify(result), now()],
        );
        return {
          result,
          events: await appendEvents(tx, hubEvents, now()),
          queued: command.type === 'send_message',
        };
      });
      bus.publish(outcome.events);
      if (outcome.queued) options.onQueued();
      return outcome.result;
    },
  };
}

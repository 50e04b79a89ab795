import { formatDuration } from '../../../../shared/reply-window/format';
import type {
  ChannelRule,
  ClosedAllowanceRule,
  WindowExtensionRule,
} from '../../../../shared/reply-window/rules';

export interface RuleSummary {
  /** e.g. `24h`, `48h · 5 messages`, `none`. */
  readonly window: string;
  /** What may be sent once it has closed. */
  readonly afterClose: string;
  /** Entry points and other extensions, one phrase each. */
  readonly extras: readonly string[];
}

function hours(ms: number): string {
  return ms % 3_600_000 === 0 && ms < 7 * 86_400_000 ? `${ms / 3_600_000}h` : formatDuration(ms);
}

function closedAllowance(rule: ClosedAllowanceRule): string {
  switch (rule.kind) {
    case 'template_only':
      return 'Approved templates only';
    case 'billable_free_form':
      // LINE counts each push against the plan's monthly quota: free within it, then the rate
      // card's price on plans that allow more (refused on the others).
      return rule.basis === 'line.push_quota'
        ? 'Push messages: free within the plan’s monthly quota, then the rate card’s price'
        : 'Any message, charged';
    case 'none':
      return 'Nothing';
  }
}

function extension(rule: WindowExtensionRule): string {
  switch (rule.kind) {
    case 'free_after_reply':
      return `Ad referral: a reply within ${hours(rule.replyWithinMs)} opens ${hours(rule.lengthMs)} in which everything is free`;
    case 'longer_window':
      return `Ad referral: ${formatDuration(rule.lengthMs)} window`;
    case 'entry_event':
      return `Menu click, follow or scan: ${rule.messageLimit?.maxMessages ?? 'any'} messages within ${formatDuration(rule.lengthMs)}`;
    case 'after_payment':
      return `After a payment: unlimited messages for ${hours(rule.lengthMs)}`;
  }
}

/** One row of the channel rules table, worded for agents. */
export function describeChannelRule(rule: ChannelRule): RuleSummary {
  if (rule.kind === 'unlimited') {
    return {
      window: 'No window',
      afterClose: rule.billable ? 'Any message, always charged' : 'Any message',
      extras: [],
    };
  }
  const limit = rule.window.messageLimit;
  const count = limit
    ? ` · ${limit.maxMessages} ${limit.maxMessages === 1 ? 'message' : 'messages'}`
    : '';
  const window = `${hours(rule.window.lengthMs)}${count}`;
  const after = rule.afterClose;
  const afterClose =
    after.kind === 'tag'
      ? `${after.tag} tag for ${formatDuration(after.untilAfterInboundMs)}, then ${closedAllowance(after.afterTag).toLowerCase()}`
      : closedAllowance(after);
  return { window, afterClose, extras: rule.extensions.map(extension) };
}

import { describe, expect, it } from 'vitest';
import { describeChannelRule } from '../../../src/renderer/src/features/reply-windows/describe-rule';
import { DEFAULT_CHANNEL_RULES } from '../../../src/shared/reply-window/rules';

/** The Reply windows page's table of every channel's rule (issue #15: as it now works). */
describe('the channel rules table', () => {
  it('words Telegram, LINE and Viber as Replydesk applies them', () => {
    expect(describeChannelRule(DEFAULT_CHANNEL_RULES.telegram)).toEqual({
      window: 'No window',
      afterClose: 'Any message',
      extras: [],
    });
    expect(describeChannelRule(DEFAULT_CHANNEL_RULES.line)).toEqual({
      window: '50s · 1 message',
      afterClose: 'Push messages: free within the plan’s monthly quota, then the rate card’s price',
      extras: [],
    });
    expect(describeChannelRule(DEFAULT_CHANNEL_RULES.viber)).toEqual({
      window: '24h',
      afterClose: 'Any message, charged',
      extras: [],
    });
    expect(describeChannelRule(DEFAULT_CHANNEL_RULES.wechat).window).toBe('48h · 5 messages');
  });
});

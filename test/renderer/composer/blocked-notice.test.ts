import { describe, expect, it } from 'vitest';
import { blockedNotice } from '../../../src/renderer/src/features/composer/notices';

describe('the composer of a customer who blocked the business', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');
  it('names the customer, the channel and when', () => {
    expect(
      blockedNotice(
        { channel: 'telegram', blockedAt: now - 2 * 3_600_000, customer: { name: 'Ana Lima' } },
        now,
      ),
    ).toBe(
      'Ana Lima blocked this account on Telegram 2 h ago. Messages cannot reach them until they unblock it.',
    );
    expect(
      blockedNotice({ channel: 'line', blockedAt: now - 30_000, customer: { name: 'Ken' } }, now),
    ).toBe(
      'Ken blocked this account on LINE just now. Messages cannot reach them until they unblock it.',
    );
  });

  it('says the hub’s reason when it is not a block (a LINE group the account left)', () => {
    const reason =
      'The LINE account was removed from this group: messages cannot be sent here until a member adds it again.';
    expect(
      blockedNotice(
        {
          channel: 'line',
          blockedAt: now - 60_000,
          blockedReason: reason,
          customer: { name: 'Sofa order #1042' },
        },
        now,
      ),
    ).toBe(reason);
  });
});

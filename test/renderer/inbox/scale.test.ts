import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/shared/domain/model';
import {
  classify,
  createClassifier,
  DEFAULT_QUERY,
  isReclassifyDue,
  newestConversationsFirst,
  selectInbox,
  sortItems,
  type InboxQuery,
} from '../../../src/renderer/src/features/inbox/inbox-view';
import { conversation, HOUR, T0 } from '../fixtures';

const NOW = T0 + 48 * HOUR;
const MINUTE = 60_000;
const COUNT = 20_000;
/** Distinct instants in the coming hour at which some windows close. */
const CLOSING_INSTANTS = 30;

/**
 * 20,000 conversations: a quarter closing within the hour, at 30 distinct instants; a quarter open
 * for hours yet; a quarter closed long ago; a quarter on Telegram, which has no window.
 */
function inbox(): Conversation[] {
  const result: Conversation[] = [];
  for (let index = 0; index < COUNT; index += 1) {
    const id = `c${index}`;
    const lastMessageAt = NOW - index * 1000;
    switch (index % 4) {
      case 0: {
        const instant = (Math.floor(index / 4) % CLOSING_INSTANTS) + 1;
        const closesAt = NOW + instant * 2 * MINUTE - 30_000;
        result.push(conversation(id, { lastInboundAt: closesAt - 24 * HOUR, lastMessageAt }));
        break;
      }
      case 1:
        result.push(conversation(id, { lastInboundAt: NOW - (index % 20) * HOUR, lastMessageAt }));
        break;
      case 2:
        result.push(conversation(id, { lastInboundAt: NOW - 48 * HOUR, lastMessageAt }));
        break;
      default:
        result.push(conversation(id, { channel: 'telegram', lastMessageAt }));
    }
  }
  return result;
}

describe('the inbox at scale', () => {
  it('classifies and selects 20,000 conversations in one pass, then works only at state changes', () => {
    const conversations = newestConversationsFirst(inbox());
    const classifier = createClassifier();
    const query: InboxQuery = { ...DEFAULT_QUERY, view: 'all', sort: 'closes_soonest' };
    const context = { meId: 'me', messageMatches: null };

    // First pass: every window computed exactly once.
    let classification = classifier.classify(conversations, NOW);
    expect(classification.computed).toBe(COUNT);
    let selection = selectInbox(sortItems(classification.items, query.sort), query, context);
    expect(selection.rows).toHaveLength(COUNT);
    expect(selection.counts.windows).toEqual({ all: COUNT, closing: COUNT / 4, closed: COUNT / 4 });

    // An hour of clock ticks, once a second, driven by the same rule as the list's StateClock.
    let passes = 0;
    let computed = 0;
    for (let second = 1; second <= 3600; second += 1) {
      const now = NOW + second * 1000;
      if (!isReclassifyDue(classification.at, classification.nextChangeAt, now)) continue;
      passes += 1;
      classification = classifier.classify(conversations, now);
      computed += classification.computed;
      selection = selectInbox(sortItems(classification.items, query.sort), query, context);
    }

    // Work happened at the 30 instants where windows closed, and only for those windows.
    expect(passes).toBe(CLOSING_INSTANTS);
    expect(computed).toBe(COUNT / 4);

    // And the result is what classifying everything afresh at the end gives.
    const end = NOW + 3600 * 1000;
    const fresh = classify(conversations, end);
    expect(classification.items.map((item) => item.window.state)).toEqual(
      fresh.map((item) => item.window.state),
    );
    expect(selection.counts.windows).toEqual({ all: COUNT, closing: 0, closed: COUNT / 2 });
  });

  it('filters 20,000 conversations for each keystroke without classifying again', () => {
    const conversations = newestConversationsFirst(inbox());
    const classifier = createClassifier();
    const { items } = classifier.classify(conversations, NOW);
    const sorted = sortItems(items, 'newest');
    expect(sorted).toBe(items);
    let rows = COUNT;
    for (const text of ['c', 'cu', 'cus', 'customer', 'customer c1999']) {
      const selection = selectInbox(
        sorted,
        { ...DEFAULT_QUERY, view: 'all', text },
        {
          meId: 'me',
          messageMatches: null,
        },
      );
      expect(selection.rows.length).toBeLessThanOrEqual(rows);
      rows = selection.rows.length;
    }
    // "Customer c1999" and "Customer c19990" … "c19999".
    expect(rows).toBe(11);
    expect(classifier.classify(conversations, NOW + 1000).computed).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import {
  highlightDigits,
  highlightParts,
  snippetParts,
  type TextPart,
} from '../../../src/renderer/src/components/text-match';
import { matchingLine } from '../../../src/renderer/src/data/cache-writes';
import {
  classify,
  DEFAULT_QUERY,
  describeMatch,
  searchesEveryStatus,
  selectInbox,
  type InboxQuery,
} from '../../../src/renderer/src/features/inbox/inbox-view';
import { describeNoMatch } from '../../../src/renderer/src/features/inbox/InboxStates';
import { conversation, T0 } from '../fixtures';

/** Parts as one string, matches in brackets: `…with [tracking] JJD001`. */
const shown = (parts: readonly TextPart[]): string =>
  parts.map((part) => (part.match ? `[${part.text}]` : part.text)).join('');

describe('marking what a search found', () => {
  it('marks every word, ignoring case and diacritics, in the text as written', () => {
    expect(highlightParts('Zoë Álvarez', ['zoe'])).toEqual([
      { text: 'Zoë', match: true },
      { text: ' Álvarez', match: false },
    ]);
    expect(shown(highlightParts('Zoë Álvarez', ['ALVAREZ', 'zoë']))).toBe('[Zoë] [Álvarez]');
    expect(shown(highlightParts('Ana Anabel', ['an', 'ana']))).toBe('[Ana] [Ana]bel');
    expect(shown(highlightParts('Ana', ['bob']))).toBe('Ana');
    expect(highlightParts('Ana', [' '])).toEqual([{ text: 'Ana', match: false }]);
  });

  it('keeps markup as text: a name cannot inject HTML', () => {
    expect(highlightParts('<img src=x onerror=alert(1)> Ana', ['ana'])).toEqual([
      { text: '<img src=x onerror=alert(1)> ', match: false },
      { text: 'Ana', match: true },
    ]);
  });

  it('marks the digits of a phone number whatever its spacing', () => {
    expect(shown(highlightDigits('+31 6 1234 5678', '61234'))).toBe('+31 [6 1234] 5678');
    expect(shown(highlightDigits('+31 6 1234 5678', '31612345678'))).toBe('+[31 6 1234 5678]');
    expect(shown(highlightDigits('+31 6 1234 5678', '999'))).toBe('+31 6 1234 5678');
  });

  it('shows a long message from just before its match, cut at words, with ellipses', () => {
    expect(
      shown(
        snippetParts('Hello, my parcel with tracking JJD001 is stuck', 'tracking', { before: 10 }),
      ),
    ).toBe('…with [tracking] JJD001 is stuck');
    expect(
      shown(
        snippetParts(
          'Hi! I ordered the blue linen shirt last Tuesday and the Tracking page has said "label created" ever since, could you check?',
          'tracking',
          { before: 14, length: 60 },
        ),
      ),
    ).toBe('…and the [Tracking] page has said "label created" ever since,…');
    expect(shown(snippetParts('Where is\n  my   order?', 'MY ORDER'))).toBe('Where is [my order]?');
    expect(shown(snippetParts('no match here', 'parcel'))).toBe('no match here');
  });

  it('finds the newest matching message line of a search row, as it was written', () => {
    const row = 'Thanks!\nThe TRACKING link says nothing\nWhere is my tracking number?';
    expect(matchingLine(row, 'tracking')).toBe('The TRACKING link says nothing');
    expect(matchingLine(row, 'refund')).toBeNull();
    // "İ" is two characters in lower case: the line is still found and kept as written.
    expect(matchingLine('İstanbul\nİSTANBUL again', 'again')).toBe('İSTANBUL again');
    // A long line is cut around the match, a quarter of the cap before it.
    expect(matchingLine(`${'x '.repeat(300)}needle ${'y '.repeat(300)}`, 'needle', 40)).toBe(
      `…${'x '.repeat(5)}needle ${'y '.repeat(11)}y…`,
    );
  });
});

const resolved = conversation('res', {
  status: 'resolved',
  customer: {
    id: 'cus-res',
    name: 'Sheena Nelson',
    phone: '+16505551234',
    email: 'sheena@example.com',
    country: null,
    language: null,
  },
  lastMessagePreview: 'Thanks, all good now!',
  lastMessageAt: T0 - 1,
});
const snoozed = conversation('snz', {
  status: 'snoozed',
  snoozedUntil: T0 + 3_600_000,
  customer: {
    id: 'cus-snz',
    name: 'Piet de Vries',
    phone: '+31 6 1234 5678',
    email: null,
    country: null,
    language: null,
  },
  lastMessagePreview: 'Ik wacht op mijn pakket',
  lastMessageAt: T0 - 2,
});
const open = conversation('opn', {
  customer: {
    id: 'cus-opn',
    name: 'Ana Ruiz',
    phone: null,
    email: 'ana@example.es',
    country: null,
    language: null,
  },
  lastMessagePreview: 'Hola, where is my parcel?',
  lastMessageAt: T0 - 3,
});
const items = classify([resolved, snoozed, open], T0);
const ids = (query: InboxQuery) =>
  selectInbox(items, query, { meId: 'me', messageMatches: null }).rows.map(
    (row) => row.conversation.id,
  );

describe('search covers every status', () => {
  const all: InboxQuery = { ...DEFAULT_QUERY, view: 'all' };

  it('lists resolved and snoozed conversations that match, which the working list hides', () => {
    expect(ids(all)).toEqual(['opn']);
    expect(ids({ ...all, text: 'sheena' })).toEqual(['res']);
    expect(ids({ ...all, text: '+31 6 1234' })).toEqual(['snz']);
    expect(ids({ ...all, text: 'e' })).toEqual(['res', 'snz', 'opn']);
    expect(searchesEveryStatus({ ...all, text: 'sheena' })).toBe(true);
  });

  it('keeps the statuses the agent chose', () => {
    const query = { ...all, text: 'e', statuses: ['snoozed'] as const };
    expect(ids(query)).toEqual(['snz']);
    expect(searchesEveryStatus(query)).toBe(false);
  });

  it('counts the statuses of what the search found', () => {
    const { counts } = selectInbox(
      items,
      { ...all, text: 'e' },
      { meId: 'me', messageMatches: null },
    );
    expect(counts.statuses).toEqual({ open: 1, pending: 0, snoozed: 1, resolved: 1 });
    expect(counts.views).toEqual({ mine: 0, unassigned: 3, all: 3 });
  });

  it('says the scope of an empty search truthfully', () => {
    expect(describeNoMatch({ ...all, text: 'xyz' })).toBe(
      'No conversation in All matches “xyz” in any status.',
    );
    expect(describeNoMatch({ ...all, text: 'xyz', statuses: ['resolved'] })).toBe(
      'No resolved conversation in All matches “xyz”.',
    );
    expect(
      describeNoMatch({ ...DEFAULT_QUERY, text: 'xyz', channels: ['whatsapp'], window: 'closed' }),
    ).toBe(
      'No conversation in Mine matches “xyz” in any status, on WhatsApp, with the window closed.',
    );
    expect(describeNoMatch({ ...all, channels: ['whatsapp'] })).toBe(
      'No open or pending conversation in All on WhatsApp.',
    );
    expect(describeNoMatch({ ...all, statuses: [], labels: ['vip', 'b2b'] })).toBe(
      'No conversation in All, in any status, labelled vip or b2b.',
    );
    expect(describeNoMatch({ ...all, statuses: ['snoozed', 'resolved'], window: 'closing' })).toBe(
      'No snoozed or resolved conversation in All with the window closing soon.',
    );
  });
});

describe('where a result matched', () => {
  const match = (c: typeof open, text: string, excerpt: string | null = null) => {
    const result = describeMatch(c, c.customer.name, text, excerpt);
    if (result === null) return null;
    return {
      name: shown(result.name),
      detail: result.detail && `${result.detail.kind}: ${shown(result.detail.parts)}`,
    };
  };

  it('marks the name, and leaves the latest message unmarked when the name is the match', () => {
    // Her e-mail matches too, but the marked name already says where.
    expect(match(resolved, 'sheena')).toEqual({ name: '[Sheena] Nelson', detail: null });
    expect(match(resolved, '')).toBeNull();
  });

  it('shows the older message that matched instead of the latest one', () => {
    expect(
      match(
        resolved,
        'tracking code',
        'Hello, I paid last week and I still have no tracking code from DHL at all',
      ),
    ).toEqual({
      name: 'Sheena Nelson',
      detail: 'message: …have no [tracking code] from DHL at all',
    });
  });

  it('shows the phone, e-mail or latest message where those matched', () => {
    expect(match(snoozed, '06 1234')).toEqual({
      name: 'Piet de Vries',
      detail: 'phone: +31 [6 1234] 5678',
    });
    expect(match(open, 'example.es')).toEqual({
      name: 'Ana Ruiz',
      detail: 'email: ana@[example.es]',
    });
    expect(match(open, 'ana parcel')).toEqual({
      name: '[Ana] Ruiz',
      detail: 'preview: Hola, where is my [parcel]?',
    });
  });
});

import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { MantineProvider } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/shared/domain/model';
import type { Me, Teammate } from '../../../src/renderer/src/data/types';
import { InboxList, type InboxListProps } from '../../../src/renderer/src/features/inbox/InboxList';
import { DEFAULT_QUERY } from '../../../src/renderer/src/features/inbox/inbox-view';
import { conversation } from '../fixtures';

/**
 * The list rendered to HTML (the renderer has no DOM test environment): what an agent and the
 * end-to-end tests find in it. Interaction is covered end to end in Chromium.
 */

const ME: Me = { id: 'me', name: 'Maya Agent', role: 'agent', email: null };
const TEAM: Teammate[] = [{ id: 'ana', name: 'Ana Ruiz', role: 'agent', disabled: false }];
const now = Date.now();

function many(count: number): Conversation[] {
  return Array.from({ length: count }, (_, index) =>
    conversation(`c${index}`, {
      lastInboundAt: now - 2 * 3_600_000,
      lastMessageAt: now - index * 60_000,
      assigneeId: index % 3 === 0 ? 'me' : index % 3 === 1 ? 'ana' : null,
      labels: index === 0 ? ['vip', 'refund', 'b2b', 'late'] : [],
      priority: index === 0 ? 'urgent' : 'normal',
    }),
  );
}

function render(props: Partial<InboxListProps>): string {
  const all: InboxListProps = {
    conversations: [],
    me: ME,
    teammates: TEAM,
    selectedId: null,
    onSelect: () => undefined,
    loading: false,
    query: { ...DEFAULT_QUERY, view: 'all' },
    onQueryChange: () => undefined,
    ...props,
  };
  return renderToString(createElement(MantineProvider, null, createElement(InboxList, all)));
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('the inbox list', () => {
  it('renders only the rows on screen out of thousands', () => {
    const html = render({ conversations: many(5000), selectedId: 'c0' });
    const rows = count(html, 'data-testid="conversation-row"');
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(40);
    expect(count(html, 'data-testid="window-timer"')).toBe(rows);
    expect(html).toContain('role="listbox"');
    expect(html).toContain('aria-setsize="5000"');
  });

  it('marks the selected row, the one in the tab order, and what each row says', () => {
    const html = render({ conversations: many(50), selectedId: 'c0' });
    expect(html).toMatch(
      /role="option" id="conversation-option-c0" aria-selected="true"[^>]*tabindex="0"[^>]*data-conversation-id="c0"/,
    );
    expect(count(html, 'aria-selected="true"')).toBe(1);
    expect(html).toContain('aria-label="Urgent"');
    expect(html).toContain('+2');
    expect(html).toContain('Assigned to you');
    expect(html).toContain('aria-label="Unassigned"');
    expect(html).toMatch(/data-window-state="open">2[12]h \d+m</);
  });

  it('counts the views', () => {
    const html = render({ conversations: many(30) });
    expect(html).toMatch(/Mine<span[^>]*>10</);
    expect(html).toMatch(/Unassigned<span[^>]*>10</);
    expect(html).toMatch(/All<span[^>]*>30</);
  });

  it('shows placeholder rows while loading, and an empty inbox once loaded', () => {
    expect(render({ loading: true })).toContain('data-testid="inbox-loading"');
    expect(render({ loading: false })).toContain('data-testid="inbox-empty"');
  });

  it('says when nothing matches and offers a reset and another view', () => {
    const html = render({
      conversations: many(10),
      query: { ...DEFAULT_QUERY, view: 'mine', text: 'Customer c1' },
    });
    expect(html).toContain('data-testid="inbox-no-match"');
    expect(html).toContain('Clear search and filters');
    expect(html).toContain('1 in All');
    expect(html).toContain('data-testid="active-filters"');
  });
});

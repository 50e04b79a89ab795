import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/shared/domain/model';
import type { OutgoingContent } from '../../../src/shared/protocol/commands';
import { conversationLink, parseDeepLink } from '../../../src/shared/desktop/deep-link';
import { inlineReplyCheck } from '../../../src/shared/desktop/inline-reply';
import { conversationOfPopOutHash, popOutHash } from '../../../src/shared/desktop/pop-out';
import { applyTakenLink } from '../../../src/renderer/src/app/useDesktopLinks';
import { badgeFigures } from '../../../src/renderer/src/features/attention/attention';
import { updateStatusText } from '../../../src/renderer/src/features/settings/useUpdateStatus';
import {
  deliverInlineReply,
  refusedReplyNotification,
  windowActivity,
} from '../../../src/renderer/src/features/workspace/desktop-bridge';
import {
  relayMenuCommand,
  takeRelayedMenuCommand,
} from '../../../src/renderer/src/features/shortcuts/menu-relay';
import type { OutboxEntry } from '../../../src/renderer/src/data/types';
import { conversation, HOUR, T0 } from '../fixtures';

const ME = { id: 'u-me' };
const MINUTE = 60_000;

function mine(id: string, overrides: Partial<Conversation> = {}): Conversation {
  return conversation(id, { assigneeId: ME.id, ...overrides });
}

describe('the badge and tray figures', () => {
  it('count my conversations waiting for me, and of those the windows closing within the hour', () => {
    const list = [
      mine('waiting'),
      // The WhatsApp window (24 h) closes in 30 minutes: waiting and closing.
      mine('closing', { lastInboundAt: T0 - 23 * HOUR - 30 * MINUTE }),
      // Closing, but answered: neither.
      mine('closing-answered', {
        lastInboundAt: T0 - 23 * HOUR - 30 * MINUTE,
        sentSinceInbound: 1,
      }),
      // Closed an hour ago: still waiting, no longer closing.
      mine('closed', { lastInboundAt: T0 - 25 * HOUR }),
      mine('resolved', { status: 'resolved', lastInboundAt: T0 - 23 * HOUR - 30 * MINUTE }),
      mine('snoozed', { status: 'snoozed', snoozedUntil: T0 + HOUR }),
      conversation('theirs', { assigneeId: 'u-other', lastInboundAt: T0 - 23.5 * HOUR }),
    ];
    expect(badgeFigures(list, ME, T0)).toEqual({ waiting: 3, closingSoon: 1 });
    expect(badgeFigures([], ME, T0)).toEqual({ waiting: 0, closingSoon: 0 });
  });
});

describe('a reply typed into a notification', () => {
  const open = mine('cnv_open');
  const closed = mine('cnv_closed', { lastInboundAt: T0 - 25 * HOUR });
  const messengerClosed = mine('cnv_msg', { channel: 'messenger', lastInboundAt: T0 - 25 * HOUR });

  function deps(found: Conversation | undefined) {
    const sent: { conversationId: string; content: OutgoingContent }[] = [];
    const refused: { conversationId: string; reason: string }[] = [];
    return {
      sent,
      refused,
      deps: {
        conversation: found,
        now: T0,
        send: async (conversationId: string, content: OutgoingContent) => {
          sent.push({ conversationId, content });
          return 'client-1';
        },
        refuse: (conversationId: string, reason: string) => {
          refused.push({ conversationId, reason });
        },
      },
    };
  }

  it('is queued as plain text while the window allows a free-form reply', async () => {
    const run = deps(open);
    await expect(
      deliverInlineReply({ conversationId: 'cnv_open', text: 'On its way' }, run.deps),
    ).resolves.toBe('queued');
    expect(run.sent).toEqual([
      { conversationId: 'cnv_open', content: { type: 'text', body: 'On its way' } },
    ]);
    expect(run.refused).toEqual([]);
  });

  it.each([
    [closed, 'The reply window has closed: only a template can be sent.'],
    [messengerClosed, 'The reply window has closed: a reply now needs a message tag.'],
    [undefined, 'This conversation is not on this computer yet.'],
  ])('is refused, and nothing sent, outside the window (%#)', async (found, reason) => {
    const run = deps(found);
    await expect(
      deliverInlineReply({ conversationId: 'cnv_x', text: 'Hello?' }, run.deps),
    ).resolves.toBe('refused');
    expect(run.sent).toEqual([]);
    expect(run.refused).toEqual([{ conversationId: 'cnv_x', reason }]);
  });

  it('offers an inline reply only where one could go out', () => {
    expect(inlineReplyCheck(open, T0)).toEqual({ ok: true });
    expect(inlineReplyCheck(closed, T0).ok).toBe(false);
  });

  it('says why it was not sent in a notification that opens the conversation', () => {
    expect(refusedReplyNotification('cnv_closed', 'The window has closed.')).toEqual({
      title: 'Reply not sent',
      body: 'The window has closed. Click to open the conversation in Replydesk.',
      conversationId: 'cnv_closed',
      replyable: false,
    });
  });
});

describe('links main hands the page', () => {
  function record() {
    const calls: string[] = [];
    return {
      calls,
      actions: {
        openConversation: (id: string) => calls.push(`open ${id}`),
        confirmHub: (url: string) => calls.push(`confirm ${url}`),
        refuse: (reason: string) => calls.push(`refuse ${reason}`),
      },
    };
  }

  it('opens a conversation, asks before a hub, explains a refusal and does nothing else', () => {
    const run = record();
    applyTakenLink({ link: { kind: 'conversation', conversationId: 'cnv_7' } }, run.actions);
    applyTakenLink({ link: { kind: 'hub', hubUrl: 'https://hub.example.com' } }, run.actions);
    applyTakenLink({ link: null, refused: 'Not a replydesk:// link.' }, run.actions);
    applyTakenLink({ link: null }, run.actions);
    expect(run.calls).toEqual([
      'open cnv_7',
      'confirm https://hub.example.com',
      'refuse Not a replydesk:// link.',
    ]);
  });

  it('"Copy link" gives a link main opens at the same conversation', () => {
    expect(conversationLink('cnv_01HX-9')).toBe('replydesk://conversation/cnv_01HX-9');
    expect(parseDeepLink(conversationLink('cnv_01HX-9'))).toEqual({
      ok: true,
      link: { kind: 'conversation', conversationId: 'cnv_01HX-9' },
    });
  });

  it('a pop-out window names its conversation in the hash, and nothing else passes', () => {
    expect(popOutHash('cnv_42')).toBe('#/popout/cnv_42');
    expect(conversationOfPopOutHash(popOutHash('cnv_42'))).toBe('cnv_42');
    expect(conversationOfPopOutHash('#/popout/..%2Fsecret')).toBeNull();
    expect(conversationOfPopOutHash('#/popout/%E0%A4%A')).toBeNull();
    expect(conversationOfPopOutHash('#/inbox/cnv_42')).toBeNull();
  });
});

describe('the update state in words', () => {
  it.each([
    [{ state: 'idle' as const }, 'Replydesk is up to date.'],
    [
      { state: 'downloading' as const, version: '0.9.1' },
      'Downloading version 0.9.1 in the background…',
    ],
    [{ state: 'ready' as const, version: '0.9.1' }, 'Version 0.9.1 is ready: restart to use it.'],
    [
      { state: 'error' as const, message: 'net::ERR_INTERNET_DISCONNECTED' },
      'The last check failed (net::ERR_INTERNET_DISCONNECTED); Replydesk tries again in a few hours.',
    ],
    [
      { state: 'disabled' as const },
      'This build does not update itself; install new versions by hand.',
    ],
  ])('%j', (status, text) => {
    expect(updateStatusText(status)).toBe(text);
  });
});

describe('what a restart would interrupt in a window', () => {
  const entry = (
    clientId: string,
    state: OutboxEntry['state'],
    type = 'send_message',
  ): OutboxEntry =>
    ({
      clientId,
      conversationId: 'cnv_1',
      command: { type, conversationId: 'cnv_1', content: { type: 'text', body: 'Hi' } },
      createdAt: T0,
      state,
      error: null,
      attempts: 0,
    }) as OutboxEntry;

  it('counts replies queued or sending (a failed one waits for the agent) and a typed draft', () => {
    expect(
      windowActivity(
        [
          entry('a', 'queued'),
          entry('b', 'sending'),
          entry('c', 'failed'),
          entry('d', 'queued', 'assign'),
        ],
        'Half a sentence',
      ),
    ).toEqual({ pendingReplies: 2, typing: true });
    expect(windowActivity(undefined, '  \n ')).toEqual({ pendingReplies: 0, typing: false });
    expect(windowActivity([], undefined)).toEqual({ pendingReplies: 0, typing: false });
  });
});

describe('a menu command chosen away from the inbox', () => {
  it('is handed to the inbox once', () => {
    expect(takeRelayedMenuCommand()).toBeNull();
    relayMenuCommand('settings');
    expect(takeRelayedMenuCommand()).toBe('settings');
    expect(takeRelayedMenuCommand()).toBeNull();
  });
});

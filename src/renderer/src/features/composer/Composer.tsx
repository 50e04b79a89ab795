import './composer.css';
import { useImperativeHandle, useRef, useState, type ReactNode, type Ref } from 'react';
import { SegmentedControl, Text } from '@mantine/core';
import { IconBan } from '@tabler/icons-react';
import type { MentionCandidate } from '../../../../shared/notes/mentions';
import { CHANNEL_INFO, MINUTE_MS } from '../../../../shared/domain/channels';
import type { Conversation, Template } from '../../../../shared/domain/model';
import type { RateCard } from '../../../../shared/pricing';
import type { ReplyWindow } from '../../../../shared/reply-window/types';
import type { TemplateContext } from '../../../../shared/templates';
import { useClockDerived } from '../../app/clock';
import { FreeFormComposer } from './FreeFormComposer';
import { blockedNotice, noneNotice, templateOnlyNotice } from './notices';
import type { SendKey } from './send-key';
import { TemplatePicker } from './TemplatePicker';
import { NoteComposer } from './NoteComposer';
import type { AttachHandler, ComposerHandle, NoteHandler, ReplyHandle, SendHandler } from './types';
import { approvedTemplatesFor } from './whatsapp-template';

export interface ComposerProps {
  readonly conversation: Conversation;
  /** The conversation's reply window, computed by the caller at the app clock's now. */
  readonly window: ReplyWindow;
  /** Every template the workspace has; the composer picks what fits the conversation. */
  readonly templates: readonly Template[];
  /** Values for variables (see `buildTemplateContext`). */
  readonly context: TemplateContext;
  /** The saved draft of this conversation. */
  readonly draft: string;
  /** Every change of the text, at once (debouncing the save is the caller's). */
  readonly onDraftChange: (text: string) => void;
  readonly sendKey: SendKey;
  /** Ask, showing the price, before a paid template is sent (the agent's preference). */
  readonly confirmPaidTemplates?: boolean;
  /** "Don't ask again" in that question. */
  readonly onStopConfirmingPaidTemplates?: () => void;
  readonly rateCard: RateCard | null;
  /** Queues the message; rejects with an Error shown under the box (the text is kept). */
  readonly onSend: SendHandler;
  /** Queues a file with its caption; absent: no attachments are offered. */
  readonly onAttach?: AttachHandler;
  readonly disabled?: boolean;
  /** The customer's message the next free-form reply quotes; null: none. */
  readonly quote?: { readonly messageId: string; readonly text: string } | null;
  /** Drop the quote (×, Escape, or once a send carried it). */
  readonly onClearQuote?: () => void;
  /** The instant for prices and "closed 2 h ago"; the app clock (to the minute) by default. */
  readonly now?: number;
  readonly ref?: Ref<ComposerHandle>;
  /** Queues an internal note; absent: no Note mode is offered. */
  readonly onAddNote?: NoteHandler;
  /** Teammates a note may mention. */
  readonly teammates?: readonly MentionCandidate[];
  /** How the Note mode key is shown (the keymap's `noteMode`). */
  readonly noteKeyLabel?: string;
}

export type ComposerMode = 'reply' | 'note';

/**
 * The reply box under a conversation. What it offers follows the reply window:
 * - free text (with quick replies) while the channel accepts it;
 * - free text sent with the HUMAN_AGENT tag where the channel allows it after the window;
 * - the WhatsApp template picker when only templates may be sent (and on request inside the
 *   window, for WhatsApp);
 * - a disabled box saying why when nothing may be sent.
 */
export function Composer({
  ref,
  onAddNote,
  teammates = [],
  noteKeyLabel = 'N',
  ...replyProps
}: ComposerProps) {
  const [mode, setMode] = useState<ComposerMode>('reply');
  const inner = useRef<ReplyHandle | null>(null);
  const note = useRef<Pick<ComposerHandle, 'focus'> | null>(null);
  const noteMode = mode === 'note' && onAddNote !== undefined;
  const switchTo = (next: ComposerMode): void => {
    setMode(next);
    requestAnimationFrame(() => (next === 'note' ? note.current : inner.current)?.focus());
  };
  useImperativeHandle(ref, () => ({
    focus: () => (noteMode ? note.current : inner.current)?.focus(),
    openQuickReplies: () => inner.current?.openQuickReplies(),
    offerOrder: (text) => inner.current?.offerOrder(text),
    switchMode: (next) => {
      if (onAddNote || next === 'reply') switchTo(next);
    },
  }));
  const reply = <ReplyComposer {...replyProps} innerRef={inner} />;
  if (!onAddNote) return reply;
  return (
    <div className="rd-composer-modes" data-mode-switch={mode}>
      <ModeSwitch mode={noteMode ? 'note' : 'reply'} onChange={switchTo} keyLabel={noteKeyLabel} />
      {noteMode ? (
        <NoteComposer
          ref={note}
          teammates={teammates}
          sendKey={replyProps.sendKey}
          onAddNote={onAddNote}
        />
      ) : (
        reply
      )}
    </div>
  );
}

/** "Reply | Note" above the box, with the key that switches. */
function ModeSwitch({
  mode,
  onChange,
  keyLabel,
}: {
  readonly mode: ComposerMode;
  readonly onChange: (mode: ComposerMode) => void;
  readonly keyLabel: string;
}): ReactNode {
  return (
    <div className="rd-composer-mode-bar">
      <SegmentedControl<ComposerMode>
        size="xs"
        value={mode}
        onChange={onChange}
        data-testid="composer-mode"
        color={mode === 'note' ? 'yellow' : undefined}
        data={[
          { value: 'reply', label: 'Reply' },
          { value: 'note', label: 'Note' },
        ]}
        aria-label="Reply to the customer or write an internal note"
      />
      <Text size="xs" c="dimmed" data-testid="composer-mode-key">
        {mode === 'note' ? 'R for a reply' : `${keyLabel} for a note`}
      </Text>
    </div>
  );
}

function ReplyComposer({
  conversation,
  window,
  templates,
  context,
  draft,
  onDraftChange,
  sendKey,
  confirmPaidTemplates = true,
  onStopConfirmingPaidTemplates,
  rateCard,
  onSend,
  onAttach,
  disabled = false,
  now: nowProp,
  quote = null,
  onClearQuote,
  innerRef: inner,
}: Omit<ComposerProps, 'ref' | 'onAddNote' | 'teammates' | 'noteKeyLabel'> & {
  readonly innerRef: Ref<ReplyHandle>;
}) {
  // Minutes are enough for prices and "closed 2 h ago", and re-render the composer 60× less.
  const minute = useClockDerived((now) => Math.floor(now / MINUTE_MS));
  const now = nowProp ?? minute * MINUTE_MS;
  const [templatesChosenIn, setTemplatesChosenIn] = useState<string | null>(null);

  const allowed = window.allowed;
  const hasTemplates =
    approvedTemplatesFor(templates, conversation.channel, conversation.customer.language).length >
    0;

  if (conversation.blockedAt !== null && conversation.blockedAt !== undefined) {
    return (
      <ClosedComposer
        mode="blocked"
        placeholder={
          conversation.blockedReason
            ? 'Sending is off in this chat'
            : CHANNEL_INFO[conversation.channel].blockedLabel
              ? `The session with ${conversation.customer.name} has ended`
              : `${conversation.customer.name} blocked this account`
        }
        reason={blockedNotice(conversation, now)}
      />
    );
  }

  if (allowed.kind === 'none' || (allowed.kind === 'tag_only' && allowed.tag !== 'HUMAN_AGENT')) {
    const reason =
      allowed.kind === 'none'
        ? noneNotice(allowed.reason)
        : `Only messages with the ${allowed.tag} tag may be sent, which Replydesk does not send.`;
    return (
      <ClosedComposer
        mode="none"
        placeholder="Nothing can be sent in this conversation now"
        reason={reason}
      />
    );
  }

  const templateOnly = allowed.kind === 'template_only';
  const chosen = templatesChosenIn === conversation.id && hasTemplates;
  if (templateOnly || chosen) {
    return (
      <TemplatePicker
        key={conversation.id}
        ref={inner}
        conversation={conversation}
        window={window}
        templates={templates}
        context={context}
        rateCard={rateCard}
        onSend={onSend}
        disabled={disabled}
        now={now}
        notice={templateOnly ? templateOnlyNotice(window, now) : null}
        draftKept={templateOnly && draft.trim() !== ''}
        confirmPaid={confirmPaidTemplates}
        onStopConfirmingPaid={onStopConfirmingPaidTemplates}
        onBack={templateOnly ? undefined : () => setTemplatesChosenIn(null)}
      />
    );
  }

  const tagged = allowed.kind === 'tag_only';
  return (
    <FreeFormComposer
      key={conversation.id}
      ref={inner}
      conversation={conversation}
      window={window}
      templates={templates}
      context={context}
      draft={draft}
      onDraftChange={onDraftChange}
      sendKey={sendKey}
      rateCard={rateCard}
      onSend={onSend}
      onAttach={onAttach}
      disabled={disabled}
      now={now}
      tag={tagged ? 'HUMAN_AGENT' : null}
      tagUntil={tagged ? allowed.until : null}
      quote={quote}
      onClearQuote={onClearQuote}
      onOpenTemplates={
        conversation.channel === 'whatsapp' && hasTemplates
          ? () => setTemplatesChosenIn(conversation.id)
          : undefined
      }
    />
  );
}

/** The box when nothing can be sent, saying why (`data-mode`: `none`, `blocked`). */
function ClosedComposer({
  mode,
  placeholder,
  reason,
}: {
  readonly mode: 'none' | 'blocked';
  readonly placeholder: string;
  readonly reason: string;
}) {
  return (
    <div className="rd-composer" data-testid="composer" data-mode={mode}>
      <div className="rd-composer-box" data-disabled>
        <textarea
          className="rd-composer-textarea"
          data-testid="composer-input"
          aria-label="Reply"
          rows={2}
          disabled
          value=""
          placeholder={placeholder}
          readOnly
        />
      </div>
      <Text
        size="xs"
        c="dimmed"
        display="flex"
        style={{ alignItems: 'center', gap: 6 }}
        data-testid="composer-notice"
      >
        <IconBan size={14} stroke={1.75} />
        {reason}
      </Text>
    </div>
  );
}

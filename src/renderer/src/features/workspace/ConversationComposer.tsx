import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { Conversation, Order } from '../../../../shared/domain/model';
import type { OutgoingContent } from '../../../../shared/protocol/commands';
import { useReplyWindow } from '../../app/useReplyWindow';
import { useData, useDraft, useRateCard, useTeammates, useTemplates } from '../../data/hooks';
import type { Me } from '../../data/types';
import {
  buildTemplateContext,
  Composer,
  type AttachHandler,
  type ComposerHandle,
  type SendOptions,
} from '../composer';
import type { QuoteTarget } from '../conversation/reply-quote';
import { usePreferences } from '../settings/preferences';
import { bindingLabels, shortcutOf } from '../shortcuts/keymap';

const NOTE_KEY_LABEL = (bindingLabels(shortcutOf('noteMode').keys[0] ?? 'n')[0] ?? ['N']).join(' ');

/** Saving a draft on every keystroke would write IndexedDB 10 times a second. */
const DRAFT_SAVE_MS = 300;

/** The composer of one conversation, with its draft saved as the agent types. */
export function ConversationComposer({
  conversation,
  me,
  order,
  composerRef,
  quote = null,
  onClearQuote,
}: {
  conversation: Conversation;
  me: Me;
  order: Order | null;
  composerRef: React.RefObject<ComposerHandle | null>;
  /** The customer's message the next reply quotes (`useReplyQuotes`). */
  quote?: QuoteTarget | null;
  onClearQuote?: () => void;
}) {
  const layer = useData();
  const replyWindow = useReplyWindow(conversation);
  const templates = useTemplates();
  const rateCard = useRateCard();
  const draft = useDraft(conversation.id);
  const { preferences, update: updatePreferences } = usePreferences();
  const pending = useRef<{ text: string; timer: ReturnType<typeof setTimeout> } | null>(null);

  const flush = useCallback(() => {
    const current = pending.current;
    if (!current) return;
    clearTimeout(current.timer);
    pending.current = null;
    void layer.saveDraft(conversation.id, current.text);
  }, [layer, conversation.id]);
  // A draft typed just before switching conversations or closing the window is still saved.
  useEffect(() => flush, [flush]);
  useEffect(() => {
    addEventListener('pagehide', flush);
    return () => removeEventListener('pagehide', flush);
  }, [flush]);

  const onDraftChange = useCallback(
    (text: string) => {
      // Teammates see "… is typing" (presence, throttled in the data layer).
      layer.presence.typed(conversation.id);
      if (pending.current) clearTimeout(pending.current.timer);
      pending.current = { text, timer: setTimeout(flush, DRAFT_SAVE_MS) };
    },
    [flush, layer, conversation.id],
  );
  const context = useMemo(
    () => buildTemplateContext({ conversation, order, me, businessName: null }),
    [conversation, order, me],
  );
  const onSend = useCallback(
    async (content: OutgoingContent, options?: SendOptions) => {
      await layer.sendMessage(conversation.id, content, options);
      if (pending.current) clearTimeout(pending.current.timer);
      pending.current = null;
      await layer.saveDraft(conversation.id, '');
    },
    [layer, conversation.id],
  );

  const onAttach = useCallback<AttachHandler>(
    async (file, caption, options) => {
      await layer.sendAttachment(
        conversation.id,
        {
          blob: file.blob,
          ...(file.sha256 === null ? {} : { sha256: file.sha256 }),
          filename: file.filename,
          mimeType: file.mimeType,
          kind: file.kind,
          channel: conversation.channel,
          ...(caption === null ? {} : { caption }),
        },
        options,
      );
      if (pending.current) clearTimeout(pending.current.timer);
      pending.current = null;
      await layer.saveDraft(conversation.id, '');
    },
    [layer, conversation.id, conversation.channel],
  );

  const teammates = useTeammates();
  const mentionable = useMemo(
    () => (teammates ?? []).filter((user) => !user.disabled && user.id !== me.id),
    [teammates, me.id],
  );
  const onAddNote = useCallback(
    async (text: string, mentions: readonly string[]) => {
      await layer.runCommand({
        type: 'add_note',
        conversationId: conversation.id,
        text,
        mentions: [...mentions],
      });
    },
    [layer, conversation.id],
  );

  const stopConfirmingPaid = useCallback(
    () => updatePreferences({ confirmPaidTemplates: false }),
    [updatePreferences],
  );

  if (!replyWindow || draft === undefined) return null;
  return (
    <Composer
      key={conversation.id}
      ref={composerRef}
      conversation={conversation}
      window={replyWindow}
      templates={templates ?? []}
      context={context}
      draft={draft}
      onDraftChange={onDraftChange}
      sendKey={preferences.sendKey}
      confirmPaidTemplates={preferences.confirmPaidTemplates}
      onStopConfirmingPaidTemplates={stopConfirmingPaid}
      rateCard={rateCard ?? null}
      onSend={onSend}
      onAttach={onAttach}
      quote={quote}
      onClearQuote={onClearQuote}
      onAddNote={onAddNote}
      teammates={mentionable}
      noteKeyLabel={NOTE_KEY_LABEL}
    />
  );
}

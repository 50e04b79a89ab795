import {
  useEffect,
  useId,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ClipboardEvent,
  type DragEvent,
  type KeyboardEvent,
  type Ref,
} from 'react';
import { ActionIcon, Alert, Button, Kbd, Popover, Text, Tooltip } from '@mantine/core';
import {
  IconAlertTriangle,
  IconBolt,
  IconCoin,
  IconHandClick,
  IconPaperclip,
  IconSend2,
  IconTemplate,
  IconUserCheck,
} from '@tabler/icons-react';
import type { Conversation, Template } from '../../../../shared/domain/model';
import type { RateCard } from '../../../../shared/pricing';
import type { ReplyWindow } from '../../../../shared/reply-window/types';
import { renderTemplate, type TemplateContext } from '../../../../shared/templates';
import {
  checkAttachment,
  defaultFilename,
  firstFile,
  planSend,
  stageQuickReplyFile,
  type StagedFile,
} from './attachments';
import { AttachmentRefused, AttachmentTray } from './AttachmentTray';
import { newReplyButtonId } from '../../../../shared/domain/reply-buttons';
import {
  addButton,
  buttonLimits,
  buttonsView,
  NO_BUTTONS,
  outgoingButtons,
  removeButton,
  setButtonTitle,
  type ReplyButtonsState,
} from './reply-buttons';
import { ReplyButtonsEditor } from './ReplyButtonsEditor';
import { QuoteChip } from './QuoteChip';
import { costLine } from './cost';
import { SmsCostLine } from './SmsCostLine';
import { useSmsCost, useSmsPreview } from './use-sms-cost';
import { useSendQuota } from './use-send-quota';
import { checkText, MAX_TEXT_LENGTH, restoreAfterFailedSend } from './draft';
import { HighlightedTextarea } from './HighlightedTextarea';
import { tagNotice } from './notices';
import {
  describePlaceholder,
  fillPlaceholders,
  findPlaceholders,
  groupPlaceholders,
  placeholderNotices,
  type Selection,
} from './placeholders';
import {
  checkShortcut,
  markedLanguage,
  quickRepliesFor,
  searchQuickReplies,
} from './quick-replies';
import { optionId, QuickReplyMenu } from './QuickReplyMenu';
import { sendKeyAction, sendKeyHints, type SendKey } from './send-key';
import { findSlashToken, insertAtToken, startSlashToken, type SlashToken } from './slash';
import {
  errorMessage,
  type AttachHandler,
  type ReplyHandle,
  type OrderText,
  type SendHandler,
  type SendOptions,
} from './types';

/** Options listed at once; the search narrows them. */
const MAX_OPTIONS = 50;
/** The counter appears this close to the limit. */
const COUNTER_FROM = MAX_TEXT_LENGTH - 500;

const IS_MAC =
  typeof navigator !== 'undefined' &&
  /mac|iphone|ipad|ipod/i.test(navigator.platform || navigator.userAgent);

export interface FreeFormComposerProps {
  readonly conversation: Conversation;
  readonly window: ReplyWindow;
  readonly templates: readonly Template[];
  readonly context: TemplateContext;
  readonly draft: string;
  readonly onDraftChange: (text: string) => void;
  readonly sendKey: SendKey;
  readonly rateCard: RateCard | null;
  readonly onSend: SendHandler;
  readonly disabled: boolean;
  readonly now: number;
  /** Send with this tag (Messenger / Instagram after the 24 h window), until `tagUntil`. */
  readonly tag: 'HUMAN_AGENT' | null;
  readonly tagUntil: number | null;
  /** Switch to the template picker (WhatsApp, when approved templates exist). */
  readonly onOpenTemplates?: () => void;
  /** Queues a file (upload, then its message); absent: the composer offers no attachments. */
  readonly onAttach?: AttachHandler;
  /** The customer's message the next send quotes (the chip above the text); null: none. */
  readonly quote?: { readonly messageId: string; readonly text: string } | null;
  /** Drop the quote (×, Escape, or once a send carried it). */
  readonly onClearQuote?: () => void;
  readonly ref?: Ref<ReplyHandle>;
}

/** Whether a drag carries files (not text or a link dragged from the page). */
function draggingFiles(event: DragEvent): boolean {
  return [...event.dataTransfer.types].includes('Files');
}

/**
 * Free text with quick replies. The text is the agent's until sent: edits are reported to the
 * caller (who persists the draft) but a late echo of an older draft never overwrites typing —
 * the `draft` prop is adopted only until the agent's first edit (the caller keys this component
 * by conversation).
 */
export function FreeFormComposer({
  conversation,
  window,
  templates,
  context,
  draft,
  onDraftChange,
  sendKey,
  rateCard,
  onSend,
  disabled,
  now,
  tag,
  tagUntil,
  onOpenTemplates,
  onAttach,
  quote = null,
  onClearQuote,
  ref,
}: FreeFormComposerProps) {
  const [raw, setRaw] = useState(draft);
  const [edited, setEdited] = useState(false);
  const [adoptedDraft, setAdoptedDraft] = useState(draft);
  const [selection, setSelection] = useState<Selection>({ start: draft.length, end: draft.length });
  const [focused, setFocused] = useState(false);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [active, setActive] = useState({ key: '', index: 0 });
  const [error, setError] = useState<string | null>(null);
  /** The tag and the quote a send carries. */
  const sendOptions = (): SendOptions | undefined =>
    tag || quote
      ? { ...(tag ? { tag } : {}), ...(quote ? { replyTo: quote.messageId } : {}) }
      : undefined;
  const [blockedAttempt, setBlockedAttempt] = useState(false);
  /** The `/word` of the last Send that named no quick reply (nothing was sent); null for none. */
  const [unknownShortcut, setUnknownShortcut] = useState<string | null>(null);
  /** Where the caret must go once React has written a changed value (a new object each time). */
  const [caret, setCaret] = useState<{ at: Selection; focus: boolean } | null>(null);

  /** The file attached to the reply, checked against the channel's limits; sent with Send. */
  const [staged, setStaged] = useState<StagedFile | null>(null);
  /** Why the last file picked, dropped or pasted was not attached (the limit named). */
  const [refused, setRefused] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  /** Reply buttons under the text, where the channel takes them (`replyButtons` capability). */
  const [buttons, setButtons] = useState<ReplyButtonsState>(NO_BUTTONS);
  const dragDepth = useRef(0);
  const fileInputRef = useRef<HTMLInputElement | null>(null);

  const textareaRef = useRef<HTMLTextAreaElement | null>(null);
  const lastReported = useRef(draft);
  const listId = useId();

  // A draft loaded after mount (from the cache) is taken until the agent starts typing.
  if (!edited && draft !== adoptedDraft) {
    setAdoptedDraft(draft);
    setRaw(draft);
  }

  // When the context gains values (the agent picks an order), remaining placeholders are filled
  // into the text itself: a value once shown stays, even if another order is picked later.
  // `contextKey` stands for `context`: callers may rebuild an equal object on every render.
  const contextKey = JSON.stringify(context);
  const [filledFor, setFilledFor] = useState(contextKey);
  if (filledFor !== contextKey) {
    setFilledFor(contextKey);
    const filled = fillPlaceholders(raw, context, selection);
    if (filled.filled > 0) {
      setRaw(filled.text);
      setSelection(filled.selection);
      if (focused) setCaret({ at: filled.selection, focus: false });
    }
  }

  // Also shown filled at once: placeholders typed by hand or in an inserted reply or a draft.
  const text = useMemo(
    () => fillPlaceholders(raw, context).text,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [raw, contextKey],
  );
  const placeholders = useMemo(
    () => findPlaceholders(text, context),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [text, contextKey],
  );
  const groups = groupPlaceholders(placeholders);
  const check = checkText(text, placeholders);

  // Report every change of the shown text once: edits, inserts, values filled from the context.
  useEffect(() => {
    if (text === lastReported.current) return;
    lastReported.current = text;
    if (text !== draft) onDraftChange(text);
  }, [text, draft, onDraftChange]);

  // Put the caret where an insert, a chip click or a fill asked, after React wrote the value.
  useLayoutEffect(() => {
    const element = textareaRef.current;
    if (!caret || !element) return;
    if (caret.focus) element.focus();
    element.setSelectionRange(caret.at.start, caret.at.end);
  }, [caret]);

  const quickReplies = useMemo(
    () => quickRepliesFor(templates, conversation.channel, conversation.customer.language),
    [templates, conversation.channel, conversation.customer.language],
  );
  const token = selection.start === selection.end ? findSlashToken(text, selection.start) : null;
  const menuOpen = focused && !disabled && token !== null && token.start !== dismissedAt;
  const results = useMemo(
    () =>
      menuOpen && token ? searchQuickReplies(quickReplies, token.query).slice(0, MAX_OPTIONS) : [],
    [menuOpen, token?.query, quickReplies], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const language = markedLanguage(quickReplies, conversation.customer.language);
  const menuKey = token ? `${token.start}:${token.query}` : '';
  const activeIndex =
    active.key === menuKey ? Math.min(active.index, Math.max(0, results.length - 1)) : 0;

  const edit = (next: string, at: Selection) => {
    setRaw(next);
    setEdited(true);
    setSelection(at);
    setBlockedAttempt(false);
    setUnknownShortcut(null);
  };

  const editProgrammatically = (next: string, at: Selection) => {
    edit(next, at);
    setCaret({ at, focus: true });
  };

  const insertReply = (at: SlashToken, template: Template) => {
    const inserted = insertAtToken(text, at, renderTemplate(template.body, context).text);
    editProgrammatically(inserted.text, { start: inserted.cursor, end: inserted.cursor });
    // The reply's file is attached like a picked one (removable, sent once through the outbox),
    // if this conversation's channel takes it; else the agent is told, and it stays out.
    if (template.attachment && onAttach) {
      const file = stageQuickReplyFile(conversation.channel, template.name, template.attachment);
      if (file.ok) {
        setStaged(file.staged);
        setRefused(null);
      } else {
        setRefused(file.reason);
      }
    }
  };

  const pick = (template: Template) => {
    if (token) insertReply(token, template);
  };

  const limits = buttonLimits(conversation.channel);
  const buttonState = buttonsView(buttons, conversation.channel, text);

  /** `asText`: the agent chose to send a `/word` that names no quick reply as it is. */
  const send = async ({ asText = false }: { asText?: boolean } = {}) => {
    if (disabled) return;
    if (buttonState.problem !== null) return;
    if (staged && onAttach && (check.ok || check.reason === 'empty')) {
      await sendWithFile(staged, onAttach);
      return;
    }
    if (!check.ok) {
      if (check.reason !== 'empty') setBlockedAttempt(true);
      return;
    }
    if (!asText) {
      const shortcut = checkShortcut(text, quickReplies, menuOpen ? token : null);
      if (shortcut.kind === 'expand') {
        insertReply(shortcut.token, shortcut.template);
        return;
      }
      if (shortcut.kind === 'unknown') {
        setUnknownShortcut(shortcut.word);
        return;
      }
    }
    const sent = text;
    const sentButtons = buttons;
    // Clear at once so the agent can write the next message; restored below if this one fails.
    edit('', { start: 0, end: 0 });
    setButtons(NO_BUTTONS);
    setDismissedAt(null);
    setError(null);
    try {
      await onSend(
        { type: 'text', body: check.body, ...outgoingButtons(sentButtons) },
        sendOptions(),
      );
      if (quote) onClearQuote?.();
    } catch (failure) {
      setError(errorMessage(failure));
      setRaw((current) => restoreAfterFailedSend(sent, current));
      setButtons((current) => (current.length === 0 ? sentButtons : current));
    }
  };

  /** The staged file, with the text as its caption or as a message after it (`planSend`). */
  const sendWithFile = async (file: StagedFile, attach: AttachHandler) => {
    const sent = text;
    const sentButtons = buttons;
    // Buttons go with text only: a file takes them on no channel, so they ride the text step.
    const steps = planSend(check.ok ? check.body : '', file.caption && buttons.length === 0);
    edit('', { start: 0, end: 0 });
    setButtons(NO_BUTTONS);
    setStaged(null);
    setRefused(null);
    setError(null);
    // The quote goes with the first message only (the file, or the text before it).
    const first = sendOptions();
    const rest = tag ? { tag } : undefined;
    let fileQueued = false;
    try {
      for (const [i, step] of steps.entries()) {
        const options = i === 0 ? first : rest;
        if (step.type === 'file') {
          await attach(file, step.caption, options);
          fileQueued = true;
        } else {
          await onSend({ type: 'text', body: step.body, ...outgoingButtons(sentButtons) }, options);
        }
        if (i === 0 && quote) onClearQuote?.();
      }
    } catch (failure) {
      setError(errorMessage(failure));
      // What was not queued comes back: the file if it was not, the text in any case.
      if (!fileQueued) setStaged((current) => current ?? file);
      setRaw((current) => restoreAfterFailedSend(sent, current));
      setButtons((current) => (current.length === 0 ? sentButtons : current));
    }
  };

  /** Check a picked, dropped or pasted file against the channel's limits and stage it. */
  const attachFile = (file: File, filename?: string) => {
    const checked = checkAttachment(conversation.channel, {
      name: filename ?? file.name,
      type: file.type,
      size: file.size,
    });
    if (!checked.ok) {
      setRefused(checked.reason);
      return;
    }
    setRefused(null);
    setError(null);
    setStaged({
      blob: file,
      sha256: null,
      size: file.size,
      filename: checked.filename,
      mimeType: checked.mimeType,
      kind: checked.kind,
      caption: checked.caption,
    });
    textareaRef.current?.focus();
  };

  const canAttach = onAttach !== undefined && !disabled;

  const onPaste = (event: ClipboardEvent<HTMLDivElement>) => {
    if (!canAttach) return;
    const file = firstFile(event.clipboardData.files);
    if (!file) return;
    event.preventDefault();
    // A pasted screenshot is called "image.png" by the system: give it a name that says when.
    const unnamed = file.name === '' || /^image\.(png|jpe?g|gif)$/i.test(file.name);
    attachFile(file, unnamed ? defaultFilename(file.type, Date.now()) : undefined);
  };

  const dropHandlers = canAttach
    ? {
        onDragEnter: (event: DragEvent<HTMLDivElement>) => {
          if (!draggingFiles(event)) return;
          event.preventDefault();
          dragDepth.current += 1;
          setDragging(true);
        },
        onDragOver: (event: DragEvent<HTMLDivElement>) => {
          if (!draggingFiles(event)) return;
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
        },
        onDragLeave: () => {
          dragDepth.current = Math.max(0, dragDepth.current - 1);
          if (dragDepth.current === 0) setDragging(false);
        },
        onDrop: (event: DragEvent<HTMLDivElement>) => {
          dragDepth.current = 0;
          setDragging(false);
          const file = firstFile(event.dataTransfer.files);
          if (!file) return;
          event.preventDefault();
          attachFile(file);
        },
      }
    : {};

  const openQuickReplies = () => {
    const element = textareaRef.current;
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? text.length;
    const started = startSlashToken(text, start, end);
    setDismissedAt(null);
    setFocused(true);
    editProgrammatically(started.text, { start: started.cursor, end: started.cursor });
  };

  const offerOrder = ({ sentence, reference }: OrderText) => {
    if (disabled) return;
    // `{{order.*}}` in the text are filled by the context the chosen order brings along.
    if (placeholders.some((p) => p.name.startsWith('order.'))) {
      textareaRef.current?.focus();
      return;
    }
    if (text.trim() === '') {
      editProgrammatically(sentence, { start: sentence.length, end: sentence.length });
      return;
    }
    // The box keeps its caret while the agent clicks in the order panel.
    const element = textareaRef.current;
    const before = text.slice(0, element?.selectionStart ?? selection.start);
    const after = text.slice(element?.selectionEnd ?? selection.end);
    const lead = before === '' || /\s$/.test(before) ? '' : ' ';
    const trail = after === '' || /^[\s.,;:!?)]/.test(after) ? '' : ' ';
    const inserted = `${lead}${reference}${trail}`;
    const caret = before.length + inserted.length;
    editProgrammatically(before + inserted + after, { start: caret, end: caret });
  };

  useImperativeHandle(ref, () => ({
    focus: () => textareaRef.current?.focus(),
    openQuickReplies,
    offerOrder,
  }));

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (menuOpen && token) {
      const count = results.length;
      const plain = !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey;
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setDismissedAt(token.start);
        return;
      }
      if (count > 0 && (event.key === 'ArrowDown' || event.key === 'ArrowUp') && plain) {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive({ key: menuKey, index: (activeIndex + step + count) % count });
        return;
      }
      const picked = results[activeIndex];
      if (
        picked &&
        (event.key === 'Enter' || event.key === 'Tab') &&
        plain &&
        !event.nativeEvent.isComposing
      ) {
        event.preventDefault();
        pick(picked.item);
        return;
      }
    }
    if (event.key === 'Escape' && quote && onClearQuote) {
      // Escape drops the quote (the open quick replies took it above).
      event.preventDefault();
      event.stopPropagation();
      onClearQuote();
      return;
    }
    const action = sendKeyAction(
      {
        key: event.key,
        shiftKey: event.shiftKey,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        isComposing: event.nativeEvent.isComposing,
        keyCode: event.keyCode,
      },
      sendKey,
    );
    if (action === 'send') {
      event.preventDefault();
      void send();
    }
  };

  const sms = useSmsCost(conversation, window, rateCard, text, now);
  const smsPreviewOf = useSmsPreview(conversation, window, rateCard, now);
  const smsPreview =
    smsPreviewOf && token
      ? (template: Template) =>
          smsPreviewOf(insertAtToken(text, token, renderTemplate(template.body, context).text).text)
      : null;
  const pushes = window.allowed.kind === 'free_form' && window.allowed.billable;
  const quota = useSendQuota(conversation.channel, pushes);
  const price =
    pushes && sms === null
      ? costLine({
          window,
          kind: { type: 'free_form' },
          rateCard,
          recipientCountry: conversation.customer.country,
          at: now,
          quota,
        })
      : null;
  const tagNote = tag && tagUntil !== null ? tagNotice(window, tagUntil) : null;
  const blocked = blockedAttempt && !check.ok && check.reason !== 'empty';

  return (
    <div className="rd-composer" data-testid="composer" data-mode={tag ? 'tag' : 'free_form'}>
      {tagNote && (
        <Tooltip label={tagNote.detail} multiline w={320} withArrow openDelay={300}>
          <Text
            size="xs"
            c="violet"
            fw={500}
            display="flex"
            style={{ alignItems: 'center', gap: 6 }}
            data-testid="composer-tag-note"
          >
            <IconUserCheck size={14} stroke={1.75} />
            {tagNote.title}
          </Text>
        </Tooltip>
      )}
      <Popover
        opened={menuOpen}
        position="top-start"
        width="target"
        offset={6}
        shadow="md"
        trapFocus={false}
        returnFocus={false}
        closeOnEscape={false}
        closeOnClickOutside={false}
        withRoles={false}
        transitionProps={{ duration: 0 }}
      >
        <Popover.Target>
          <div
            className="rd-composer-box"
            data-disabled={disabled || undefined}
            data-tagged={tag ? true : undefined}
            data-blocked={blocked || undefined}
            data-dragging={dragging || undefined}
            data-testid="composer-box"
            onPaste={onPaste}
            {...dropHandlers}
          >
            {dragging && (
              <div className="rd-composer-drop-hint" data-testid="composer-drop-hint">
                <IconPaperclip size={16} stroke={1.75} />
                Drop to attach to the reply
              </div>
            )}
            {quote && onClearQuote && <QuoteChip text={quote.text} onClear={onClearQuote} />}
            {staged && (
              <AttachmentTray
                file={staged}
                channel={conversation.channel}
                hasText={text.trim() !== ''}
                onRemove={() => setStaged(null)}
              />
            )}
            <HighlightedTextarea
              textareaRef={textareaRef}
              value={text}
              placeholders={placeholders}
              disabled={disabled}
              placeholder={
                tag
                  ? 'Write a reply — it is sent with the human agent tag'
                  : `Reply to ${conversation.customer.name || 'the customer'} — type / for quick replies`
              }
              aria-label="Reply"
              aria-autocomplete="list"
              aria-expanded={menuOpen}
              aria-controls={menuOpen ? listId : undefined}
              aria-activedescendant={
                menuOpen && results.length > 0 ? optionId(listId, activeIndex) : undefined
              }
              aria-invalid={blocked || undefined}
              onChange={(value, start, end) => {
                edit(value, { start, end });
                // A new "/" after Escape opens the list again — also one typed where the
                // dismissed one was (the box emptied by a send, the text replaced at once).
                const typed = findSlashToken(value, start);
                if (typed === null || typed.query === '') setDismissedAt(null);
              }}
              onSelectionChange={(start, end) => setSelection({ start, end })}
              onKeyDown={onKeyDown}
              onFocus={() => setFocused(true)}
              onBlur={() => setFocused(false)}
            />
            {buttons.length > 0 && (
              <ReplyButtonsEditor
                view={buttonState}
                disabled={disabled}
                onTitle={(index, title) =>
                  setButtons((current) =>
                    setButtonTitle(current, conversation.channel, index, title),
                  )
                }
                onRemove={(index) => setButtons((current) => removeButton(current, index))}
                onAdd={() =>
                  setButtons((current) =>
                    addButton(current, conversation.channel, newReplyButtonId()),
                  )
                }
                onClear={() => setButtons(NO_BUTTONS)}
              />
            )}
            <div className="rd-composer-toolbar">
              <Tooltip label="Quick replies ( / )" withArrow openDelay={400}>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="sm"
                  aria-label="Quick replies"
                  disabled={disabled}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={openQuickReplies}
                >
                  <IconBolt size={16} stroke={1.75} />
                </ActionIcon>
              </Tooltip>
              {onAttach && (
                <Tooltip label="Attach a file (or drop or paste it here)" withArrow openDelay={400}>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    size="sm"
                    aria-label="Attach a file"
                    disabled={disabled}
                    onMouseDown={(event) => event.preventDefault()}
                    onClick={() => fileInputRef.current?.click()}
                    data-testid="composer-attach"
                  >
                    <IconPaperclip size={16} stroke={1.75} />
                  </ActionIcon>
                </Tooltip>
              )}
              {onAttach && (
                <input
                  ref={fileInputRef}
                  type="file"
                  hidden
                  data-testid="composer-file-input"
                  onChange={(event) => {
                    const file = firstFile(event.currentTarget.files);
                    // The same file may be picked again after it was removed.
                    event.currentTarget.value = '';
                    if (file) attachFile(file);
                  }}
                />
              )}
              {limits && (
                <Tooltip
                  label={`Reply buttons the customer can tap (up to ${limits.max}, ${limits.titleMax} characters each)`}
                  withArrow
                  openDelay={400}
                >
                  <Button
                    variant={buttons.length > 0 ? 'light' : 'subtle'}
                    color="gray"
                    size="compact-xs"
                    leftSection={<IconHandClick size={14} stroke={1.75} />}
                    disabled={disabled}
                    onMouseDown={(event) => event.preventDefault()}
                    onClick={() =>
                      setButtons((current) =>
                        current.length > 0
                          ? current
                          : addButton(current, conversation.channel, newReplyButtonId()),
                      )
                    }
                    data-testid="composer-buttons"
                  >
                    Buttons
                  </Button>
                </Tooltip>
              )}
              {onOpenTemplates && (
                <Button
                  variant="subtle"
                  color="gray"
                  size="compact-xs"
                  leftSection={<IconTemplate size={14} stroke={1.75} />}
                  onClick={onOpenTemplates}
                  disabled={disabled}
                >
                  Template
                </Button>
              )}
              <span className="rd-composer-toolbar-spacer" />
              <Button
                size="compact-sm"
                px="sm"
                color={tag ? 'violet' : undefined}
                rightSection={<IconSend2 size={14} stroke={1.75} />}
                disabled={
                  disabled ||
                  buttonState.problem !== null ||
                  !(check.ok || (staged !== null && check.reason === 'empty'))
                }
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => void send()}
                data-testid="composer-send"
              >
                {tag ? 'Send as agent' : 'Send'}
              </Button>
            </div>
          </div>
        </Popover.Target>
        <Popover.Dropdown p={0}>
          <QuickReplyMenu
            listId={listId}
            query={token?.query ?? ''}
            results={results}
            activeIndex={activeIndex}
            available={quickReplies.length}
            language={language}
            context={context}
            onActivate={(index) => setActive({ key: menuKey, index })}
            onPick={pick}
            smsPreview={smsPreview}
          />
        </Popover.Dropdown>
      </Popover>

      {groups.length > 0 && (
        <div className="rd-composer-chips" data-blocked={blocked || undefined} aria-live="polite">
          {placeholderNotices(groups).map((notice) => (
            <div key={notice.source} className="rd-composer-chip-line" data-source={notice.source}>
              <IconAlertTriangle size={14} stroke={1.75} />
              {notice.groups.map((group) => {
                const first = group.occurrences[0];
                return (
                  <button
                    key={group.name}
                    type="button"
                    className="rd-composer-chip"
                    data-testid="unfilled-variable"
                    data-variable={group.name}
                    data-reason={group.reason}
                    title={`${describePlaceholder(group)}. Click to select it in the text.`}
                    onClick={() => {
                      if (!first) return;
                      const at = { start: first.offset, end: first.offset + first.length };
                      // Selected, so typing the value replaces the placeholder.
                      setCaret({ at, focus: true });
                      setSelection(at);
                    }}
                  >
                    {group.reason === 'unknown' ? `{{${group.name}}}` : group.name}
                    {group.occurrences.length > 1 && (
                      <span className="rd-composer-chip-count">×{group.occurrences.length}</span>
                    )}
                  </button>
                );
              })}
              <span>{notice.message}</span>
            </div>
          ))}
        </div>
      )}

      {refused !== null && (
        <AttachmentRefused reason={refused} onDismiss={() => setRefused(null)} />
      )}

      {unknownShortcut !== null && (
        <div className="rd-composer-shortcut-notice" data-testid="composer-shortcut-notice">
          <IconBolt size={14} stroke={1.75} />
          <span role="status">
            {unknownShortcut === '' ? (
              'Pick a quick reply from the list or keep typing'
            ) : (
              <>
                No quick reply <code>/{unknownShortcut}</code>
              </>
            )}
            {' — nothing was sent.'}
          </span>
          {unknownShortcut !== '' && (
            <Button
              size="compact-xs"
              variant="subtle"
              color="gray"
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => void send({ asText: true })}
              data-testid="composer-send-as-text"
            >
              Send as text
            </Button>
          )}
        </div>
      )}

      {error && (
        <Alert
          color="red"
          variant="light"
          py={6}
          px="sm"
          radius="sm"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setError(null)}
          icon={<IconAlertTriangle size={16} />}
          title="Not sent — your text is kept"
          data-testid="composer-error"
          role="alert"
        >
          <Text size="xs">{error}</Text>
        </Alert>
      )}

      <div className="rd-composer-meta">
        {sendKeyHints(sendKey, IS_MAC).map((hint) => (
          <span key={hint.action} className="rd-composer-hint">
            {hint.keys.map((key) => (
              <Kbd key={key} size="xs">
                {key}
              </Kbd>
            ))}
            {hint.action}
          </span>
        ))}
        <span className="rd-composer-hint">
          <Kbd size="xs">/</Kbd>
          quick replies
        </span>
        {price && price.tone !== 'free' && (
          <span className="rd-composer-hint" title={price.detail} data-testid="composer-cost">
            <IconCoin size={13} stroke={1.75} />
            {price.tone === 'charged' ? `This message costs ${price.label}` : price.label}
          </span>
        )}
        {sms && (
          <SmsCostLine
            view={sms}
            onPointAt={() => {
              if (sms.forcedAt === null || sms.forcedBy === null) return;
              const at = { start: sms.forcedAt, end: sms.forcedAt + sms.forcedBy.length };
              setCaret({ at, focus: true });
              setSelection(at);
            }}
            onReplaceLookalikes={
              sms.lookalikes
                ? () => {
                    const fixed = sms.lookalikes?.fixed ?? text;
                    editProgrammatically(fixed, { start: fixed.length, end: fixed.length });
                  }
                : undefined
            }
          />
        )}
        {text.length >= COUNTER_FROM && (
          <span
            className="rd-composer-counter"
            data-over={text.trim().length > MAX_TEXT_LENGTH || undefined}
          >
            {text.trim().length.toLocaleString()} / {MAX_TEXT_LENGTH.toLocaleString()}
          </span>
        )}
      </div>
    </div>
  );
}

import {
  useEffect,
  useId,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type Ref,
} from 'react';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Menu,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconClockHour4,
  IconCoin,
  IconSearch,
  IconSend2,
  IconVariable,
} from '@tabler/icons-react';
import { CHANNEL_INFO } from '../../../../shared/domain/channels';
import type { Conversation, Template } from '../../../../shared/domain/model';
import { recipientCountryOf, type RateCard } from '../../../../shared/pricing';
import type { ReplyWindow } from '../../../../shared/reply-window/types';
import {
  renderTemplate,
  TEMPLATE_VARIABLES,
  type TemplateContext,
} from '../../../../shared/templates';
import { costLine } from './cost';
import { errorMessage, type ReplyHandle, type SendHandler } from './types';
import {
  approvedTemplatesFor,
  parameterNumbers,
  parameterProblem,
  parameterSnippet,
  previewSegments,
  searchTemplates,
  suggestParameters,
  templateContent,
} from './whatsapp-template';

const CATEGORY_COLORS: Readonly<Record<string, string>> = {
  marketing: 'grape',
  utility: 'blue',
  authentication: 'orange',
};

export interface TemplatePickerProps {
  readonly conversation: Conversation;
  readonly window: ReplyWindow;
  readonly templates: readonly Template[];
  readonly context: TemplateContext;
  readonly rateCard: RateCard | null;
  readonly onSend: SendHandler;
  readonly disabled: boolean;
  readonly now: number;
  /** Why only templates may be sent; null when the agent chose a template in an open window. */
  readonly notice: string | null;
  /** Return to free text (when the picker was opened from it). */
  readonly onBack?: () => void;
  /** The agent has free text waiting, kept for when the customer writes again. */
  readonly draftKept: boolean;
  /** Ask, showing the price, before a template that costs money goes out (a preference). */
  readonly confirmPaid: boolean;
  /** "Don't ask again" in that question: turns the preference off. */
  readonly onStopConfirmingPaid?: () => void;
  readonly ref?: Ref<ReplyHandle>;
}

interface Filled {
  /** What the agent typed, per parameter index. */
  readonly values: readonly string[];
  /** Parameters the agent edited: a suggestion no longer replaces them. */
  readonly touched: readonly boolean[];
}

const EMPTY: Filled = { values: [], touched: [] };

/** The values of the context, for the "fill from" menu beside each parameter. */
function knownValues(context: TemplateContext) {
  return TEMPLATE_VARIABLES.flatMap((variable) => {
    const rendered = renderTemplate(`{{${variable.name}}}`, context);
    return rendered.complete && rendered.text.trim() !== ''
      ? [{ name: variable.name, description: variable.description, value: rendered.text }]
      : [];
  });
}

/**
 * WhatsApp templates: pick an approved one, fill its `{{1}}`, `{{2}}`…, see exactly what the
 * customer will receive and what it costs, then send. Used when the 24-hour window has closed
 * (or when the agent chooses a template inside it).
 */
export function TemplatePicker({
  conversation,
  window,
  templates,
  context,
  rateCard,
  onSend,
  disabled,
  now,
  notice,
  onBack,
  draftKept,
  confirmPaid,
  onStopConfirmingPaid,
  ref,
}: TemplatePickerProps) {
  const [query, setQuery] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [filled, setFilled] = useState<Readonly<Record<string, Filled>>>({});
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showProblems, setShowProblems] = useState(false);
  /** The price question is open (a paid template, before it is sent). */
  const [confirming, setConfirming] = useState(false);
  const [stopAsking, setStopAsking] = useState(false);

  const searchRef = useRef<HTMLInputElement | null>(null);
  const sendRef = useRef<HTMLButtonElement | null>(null);
  const confirmRef = useRef<HTMLButtonElement | null>(null);
  const detailRef = useRef<HTMLDivElement | null>(null);
  const inputRefs = useRef<(HTMLInputElement | null)[]>([]);
  const listId = useId();

  const approved = useMemo(
    () => approvedTemplatesFor(templates, conversation.channel, conversation.customer.language),
    [templates, conversation.channel, conversation.customer.language],
  );
  const shown = useMemo(() => searchTemplates(approved, query), [approved, query]);
  // Nothing is chosen for the agent: a paid message goes out only after a template was picked.
  const selected = shown.find((t) => t.id === selectedId) ?? null;

  const numbers = selected ? parameterNumbers(selected.body) : [];
  const suggestions = selected ? suggestParameters(selected.body, context) : [];
  const own = (selected && filled[selected.id]) || EMPTY;
  const params = numbers.map((_, i) =>
    own.touched[i] ? (own.values[i] ?? '') : (suggestions[i]?.value ?? ''),
  );
  const content = selected ? templateContent(selected, params) : null;
  const cost = selected
    ? costLine({
        window,
        kind: { type: 'template', category: selected.category ?? 'utility' },
        rateCard,
        recipientCountry: recipientCountryOf(conversation.channel, conversation.customer),
        at: now,
      })
    : null;
  const values = knownValues(context);

  const setParam = (index: number, value: string) => {
    if (!selected) return;
    const values = [...params];
    values[index] = value;
    const touched = numbers.map((_, i) => own.touched[i] === true || i === index);
    setFilled({ ...filled, [selected.id]: { values, touched } });
    setError(null);
  };

  const select = (template: Template | undefined) => {
    if (!template) return;
    setSelectedId(template.id);
    setShowProblems(false);
    setConfirming(false);
    setError(null);
  };

  const paid = cost?.tone === 'charged';

  /** The 2nd click of a double-click (`detail` 2+) does nothing in the question, not even select. */
  const ignoreRepeatClick = (event: MouseEvent) => {
    if (event.detail > 1) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  // The question takes the keyboard (Enter answers it); closing it gives it back to Send.
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirming) {
      // The preview sits right above the question: scrolled down, the agent sees what they pay for.
      const detail = detailRef.current;
      if (detail) detail.scrollTop = detail.scrollHeight;
      confirmRef.current?.focus();
    } else if (wasConfirming.current) sendRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  /**
   * `confirmed`: the agent answered the price question with its own button — never a second
   * click on Send or a second Ctrl+Enter, which a double-click or a repeated key would give.
   */
  const send = async (confirmed = false) => {
    if (!selected || disabled || sending) return;
    if (!content) {
      setShowProblems(true);
      inputRefs.current[params.findIndex((p) => parameterProblem(p) !== null)]?.focus();
      return;
    }
    if (paid && confirmPaid && !confirmed) {
      setStopAsking(false);
      setConfirming(true);
      return;
    }
    setConfirming(false);
    if (stopAsking) onStopConfirmingPaid?.();
    setSending(true);
    setError(null);
    try {
      await onSend(content);
      // Back to the start: the same paid template is not one click away from going out twice.
      setSelectedId(null);
      setQuery('');
      setFilled({});
      setShowProblems(false);
      searchRef.current?.focus();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setSending(false);
    }
  };

  const focusFirst = () => {
    const firstEmpty = params.findIndex((p) => p.trim() === '');
    const target = inputRefs.current[firstEmpty >= 0 ? firstEmpty : 0];
    if (target) target.focus();
    else sendRef.current?.focus();
  };

  useImperativeHandle(ref, () => ({
    focus: () => searchRef.current?.focus(),
    openQuickReplies: () => searchRef.current?.focus(),
    // The parameters' suggestions follow the context, which the chosen order is now part of.
    offerOrder: () => undefined,
  }));

  const sendOnModEnter = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  };

  const onSearchKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const at = selected ? shown.indexOf(selected) : -1;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      select(shown[(at + step + shown.length) % Math.max(1, shown.length)]);
    } else if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      if (selected) focusFirst();
      else select(shown[0]);
    }
  };

  const channel = CHANNEL_INFO[conversation.channel].label;

  return (
    <div className="rd-composer" data-testid="composer" data-mode="template">
      {notice && (
        <Text
          size="xs"
          c="dimmed"
          display="flex"
          style={{ alignItems: 'center', gap: 6 }}
          data-testid="composer-notice"
        >
          <IconClockHour4 size={14} stroke={1.75} />
          <span>
            {notice}
            {draftKept && ' Your draft is kept for when the customer writes again.'}
          </span>
        </Text>
      )}
      <div className="rd-tpl" data-testid="template-picker" onKeyDown={sendOnModEnter}>
        <div className="rd-tpl-list-pane">
          <div className="rd-tpl-search">
            <TextInput
              ref={searchRef}
              size="xs"
              placeholder="Search templates"
              aria-label="Search templates"
              aria-controls={listId}
              leftSection={<IconSearch size={14} stroke={1.75} />}
              value={query}
              onChange={(event) => setQuery(event.currentTarget.value)}
              onKeyDown={onSearchKeyDown}
              disabled={disabled}
            />
          </div>
          {shown.length === 0 ? (
            <Text size="xs" c="dimmed" p="sm">
              {approved.length === 0
                ? `No approved ${channel} templates yet. An admin can add them under Templates; Meta must approve them before use.`
                : `No template matches “${query}”.`}
            </Text>
          ) : (
            <ul id={listId} className="rd-tpl-list" role="listbox" aria-label="Templates">
              {shown.map((t) => (
                <li
                  key={t.id}
                  role="option"
                  aria-selected={t.id === selected?.id}
                  className="rd-tpl-option"
                  data-testid="template-option"
                  data-template-id={t.id}
                  data-template-name={t.name}
                  onClick={() => select(t)}
                >
                  <span className="rd-tpl-option-head">
                    <span className="rd-tpl-option-name">{t.name}</span>
                    {t.category && (
                      <Badge size="xs" variant="light" color={CATEGORY_COLORS[t.category]}>
                        {t.category}
                      </Badge>
                    )}
                    <Badge size="xs" variant="default" tt="none">
                      {t.language}
                    </Badge>
                  </span>
                  <span className="rd-tpl-option-body">{t.body}</span>
                </li>
              ))}
            </ul>
          )}
        </div>

        <div className="rd-tpl-detail" ref={detailRef}>
          {selected ? (
            <>
              <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
                {onBack && (
                  <Tooltip label="Back to a free message" withArrow>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      size="sm"
                      aria-label="Back to message"
                      onClick={onBack}
                    >
                      <IconArrowLeft size={16} stroke={1.75} />
                    </ActionIcon>
                  </Tooltip>
                )}
                <Text size="sm" fw={600} ff="monospace" truncate="end" style={{ flex: 1 }}>
                  {selected.name}
                </Text>
                {selected.category && (
                  <Badge size="sm" variant="light" color={CATEGORY_COLORS[selected.category]}>
                    {selected.category}
                  </Badge>
                )}
                <Badge size="sm" variant="default" tt="none">
                  {selected.language}
                </Badge>
              </div>

              {numbers.length > 0 && (
                <div className="rd-tpl-params">
                  {numbers.map((n, i) => {
                    const suggestion = own.touched[i] ? null : suggestions[i];
                    const problem = showProblems ? parameterProblem(params[i] ?? '') : null;
                    return (
                      <div key={n} style={{ display: 'contents' }}>
                        <label className="rd-tpl-param-label" htmlFor={`${listId}-p${n}`}>
                          {`{{${n}}}`}
                        </label>
                        <TextInput
                          id={`${listId}-p${n}`}
                          ref={(element) => {
                            inputRefs.current[i] = element;
                          }}
                          size="xs"
                          value={params[i] ?? ''}
                          placeholder={`Value for {{${n}}}`}
                          description={
                            suggestion
                              ? `${parameterSnippet(selected.body, n)} · suggested from ${suggestion.variable}`
                              : parameterSnippet(selected.body, n)
                          }
                          inputWrapperOrder={['input', 'description', 'error']}
                          error={problem}
                          disabled={disabled}
                          data-testid="template-parameter"
                          data-parameter={n}
                          onChange={(event) => setParam(i, event.currentTarget.value)}
                          onKeyDown={(event) => {
                            if (event.key !== 'Enter' || event.ctrlKey || event.metaKey) return;
                            event.preventDefault();
                            const next = inputRefs.current[i + 1];
                            if (next) next.focus();
                            else sendRef.current?.focus();
                          }}
                          rightSectionPointerEvents="all"
                          rightSection={
                            values.length > 0 ? (
                              <Menu position="bottom-end" withinPortal shadow="md" width={280}>
                                <Menu.Target>
                                  <ActionIcon
                                    variant="subtle"
                                    color="gray"
                                    size="xs"
                                    aria-label={`Fill {{${n}}} from the conversation`}
                                  >
                                    <IconVariable size={14} stroke={1.75} />
                                  </ActionIcon>
                                </Menu.Target>
                                <Menu.Dropdown mah={260} style={{ overflowY: 'auto' }}>
                                  <Menu.Label>Fill from</Menu.Label>
                                  {values.map((v) => (
                                    <Menu.Item key={v.name} onClick={() => setParam(i, v.value)}>
                                      <Text size="xs" fw={500} truncate="end">
                                        {v.value}
                                      </Text>
                                      <Text size="xs" c="dimmed" ff="monospace">
                                        {v.name}
                                      </Text>
                                    </Menu.Item>
                                  ))}
                                </Menu.Dropdown>
                              </Menu>
                            ) : null
                          }
                        />
                      </div>
                    );
                  })}
                </div>
              )}

              <div>
                <Text size="xs" c="dimmed" mb={4}>
                  Preview — what the customer receives
                </Text>
                <div className="rd-tpl-preview" data-testid="template-preview">
                  {previewSegments(selected.body, params).map((segment, i) =>
                    segment.kind === 'text' ? (
                      <span key={i}>{segment.text}</span>
                    ) : segment.text === '' ? (
                      <span key={i} className="rd-tpl-slot">{`{{${segment.number}}}`}</span>
                    ) : (
                      <span key={i} className="rd-tpl-value">
                        {segment.text}
                      </span>
                    ),
                  )}
                </div>
              </div>

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
                  title="Template not sent"
                  data-testid="composer-error"
                  role="alert"
                >
                  <Text size="xs">{error}</Text>
                </Alert>
              )}

              {confirming && cost ? (
                <div
                  className="rd-tpl-footer rd-tpl-confirm"
                  role="group"
                  aria-label="Send a paid template?"
                  data-testid="template-confirm"
                  onMouseDownCapture={ignoreRepeatClick}
                  onClickCapture={ignoreRepeatClick}
                  onKeyDown={(event) => {
                    if (event.key !== 'Escape') return;
                    event.stopPropagation();
                    setConfirming(false);
                  }}
                >
                  <div className="rd-tpl-confirm-question">
                    <IconCoin size={16} stroke={1.75} />
                    <div>
                      Send <b className="rd-tpl-confirm-name">{selected.name}</b> for{' '}
                      <b data-testid="template-confirm-price">{cost.label}</b>?
                      <span className="rd-tpl-cost-detail">
                        {cost.detail}
                        {cost.example && ' (example rate card)'}.
                      </span>
                      <Checkbox
                        size="xs"
                        mt={6}
                        label="Don’t ask again for paid templates"
                        title="Settings can turn the question back on"
                        checked={stopAsking}
                        onChange={(event) => setStopAsking(event.currentTarget.checked)}
                        data-testid="template-confirm-stop-asking"
                      />
                    </div>
                  </div>
                  {/* Cancel stands where Send was, and a second click of a double-click on Send
                      is ignored here: a double-click never answers the paid question. */}
                  <div className="rd-tpl-confirm-actions">
                    <Button
                      ref={confirmRef}
                      size="compact-sm"
                      rightSection={<IconSend2 size={14} stroke={1.75} />}
                      onClick={() => void send(true)}
                      data-testid="template-confirm-send"
                    >
                      Send for {cost.label}
                    </Button>
                    <span className="rd-composer-toolbar-spacer" />
                    <Button
                      size="compact-sm"
                      variant="default"
                      onClick={() => setConfirming(false)}
                      data-testid="template-confirm-cancel"
                    >
                      Cancel
                    </Button>
                  </div>
                </div>
              ) : (
                <div className="rd-tpl-footer">
                  {cost && (
                    <div
                      className="rd-tpl-cost"
                      data-testid="template-cost"
                      data-tone={cost.tone}
                      title={cost.detail}
                    >
                      <IconCoin size={16} stroke={1.75} />
                      <span className="rd-tpl-cost-amount">{cost.label}</span>
                      <span className="rd-tpl-cost-detail">
                        {cost.detail}
                        {cost.example && ' (example rate card)'}
                      </span>
                    </div>
                  )}
                  <Button
                    ref={sendRef}
                    size="compact-sm"
                    px="sm"
                    rightSection={<IconSend2 size={14} stroke={1.75} />}
                    loading={sending}
                    disabled={disabled || cost?.tone === 'blocked'}
                    onClick={() => void send()}
                    data-testid="template-send"
                    data-ready={content !== null || undefined}
                  >
                    Send template
                  </Button>
                </div>
              )}
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {approved.length === 0
                ? 'Nothing can be sent in this conversation until a template is approved or the customer writes.'
                : 'Pick a template to fill it in and see what it costs.'}
            </Text>
          )}
        </div>
      </div>
    </div>
  );
}

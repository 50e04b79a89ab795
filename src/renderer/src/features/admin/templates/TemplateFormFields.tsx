import { useRef } from 'react';
import {
  ActionIcon,
  Autocomplete,
  Button,
  FileButton,
  Paper,
  Group,
  Input,
  Menu,
  MultiSelect,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import {
  IconFileText,
  IconPhoto,
  IconPaperclip,
  IconPlus,
  IconTrash,
  IconVariable,
  IconX,
} from '@tabler/icons-react';
import { FileThumb } from '../../../components/media/FileThumb';
import { fileTypeLabel, formatBytes } from '../../../format/files';
import { CHANNEL_INFO, type ChannelKind } from '../../../../../shared/domain/channels';
import type { Template, TemplateButton } from '../../../../../shared/domain/model';
import type { TemplateCategory } from '../../../../../shared/pricing';
import { TEMPLATE_VARIABLES } from '../../../../../shared/templates';
import { WHATSAPP_LIMITS } from '../../../../../shared/templates/checks';
import { problemsAt, variableCount, type FormProblem, type TemplateForm } from './template-editor';

const CHANNEL_OPTIONS = (
  ['whatsapp', 'messenger', 'instagram', 'telegram', 'wechat', 'viber', 'kakao'] as ChannelKind[]
).map((kind) => ({ value: kind, label: CHANNEL_INFO[kind].label }));

const STATUS_OPTIONS: { value: Template['status']; label: string }[] = [
  { value: 'draft', label: 'Draft' },
  { value: 'pending', label: 'Pending review' },
  { value: 'approved', label: 'Approved' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'paused', label: 'Paused' },
];

// Quick replies are not reviewed by Meta: they are in use, a draft, or paused (hidden from agents).
const QUICK_REPLY_STATUS_OPTIONS: { value: Template['status']; label: string }[] = [
  { value: 'approved', label: 'In use' },
  { value: 'draft', label: 'Draft' },
  { value: 'paused', label: 'Paused' },
];

const CATEGORY_OPTIONS: { value: TemplateCategory; label: string }[] = [
  { value: 'marketing', label: 'Marketing' },
  { value: 'utility', label: 'Utility' },
  { value: 'authentication', label: 'Authentication' },
];

export interface TemplateFormFieldsProps {
  readonly form: TemplateForm;
  /** Upload a file for the quick reply (absent: no file field). */
  readonly onAttachFile?: (file: File) => void;
  /** The file being uploaded, by name; null when none is. */
  readonly attaching?: string | null;
  /** Why the last upload failed, in the hub's words. */
  readonly attachError?: string | null;
  readonly problems: readonly FormProblem[];
  readonly folders: readonly string[];
  readonly tags: readonly string[];
  readonly onChange: (patch: Partial<TemplateForm>) => void;
}

/** Several messages of one field, one per line (Mantine shows a node under the input). */
function errorOf(messages: readonly string[]) {
  if (messages.length === 0) return undefined;
  return (
    <Stack gap={2} data-testid="field-error">
      {messages.map((message) => (
        <span key={message}>{message}</span>
      ))}
    </Stack>
  );
}

const counter = (length: number, limit: number) => `${length} / ${limit}`;

/** The fields both kinds share: language, channels, status, folder and tags. */
function Filing({ form, problems, folders, tags, onChange }: TemplateFormFieldsProps) {
  const statusOptions =
    form.kind === 'quick_reply' && QUICK_REPLY_STATUS_OPTIONS.some((o) => o.value === form.status)
      ? QUICK_REPLY_STATUS_OPTIONS
      : STATUS_OPTIONS;
  return (
    <>
      <SimpleGrid cols={3} spacing="xs">
        <TextInput
          label="Language"
          size="xs"
          value={form.language}
          onChange={(e) => onChange({ language: e.currentTarget.value })}
          error={errorOf(problemsAt(problems, 'language'))}
        />
        <Select
          label="Status"
          size="xs"
          data={statusOptions}
          value={form.status}
          allowDeselect={false}
          onChange={(value) => {
            const status = statusOptions.find((o) => o.value === value)?.value;
            if (status) onChange({ status });
          }}
        />
        <Autocomplete
          label="Folder"
          size="xs"
          placeholder="None"
          data={[...folders]}
          value={form.folder}
          onChange={(folder) => onChange({ folder })}
          error={errorOf(problemsAt(problems, 'folder'))}
        />
      </SimpleGrid>
      <MultiSelect
        label="Channels"
        size="xs"
        data={CHANNEL_OPTIONS}
        value={[...form.channels]}
        onChange={(values) =>
          onChange({
            channels: CHANNEL_OPTIONS.filter((o) => values.includes(o.value)).map((o) => o.value),
          })
        }
        error={errorOf(problemsAt(problems, 'channels'))}
      />
      <TagsInput
        label="Tags"
        size="xs"
        placeholder="Type a tag, Enter to add"
        data={[...tags]}
        value={[...form.tags]}
        onChange={(values) => onChange({ tags: values })}
        error={errorOf(problems.filter((p) => p.path.startsWith('tags')).map((p) => p.message))}
      />
    </>
  );
}

function QuickReplyFields(props: TemplateFormFieldsProps) {
  const { form, problems, onChange } = props;
  const bodyRef = useRef<HTMLTextAreaElement | null>(null);
  const insert = (name: string) => {
    const element = bodyRef.current;
    const text = `{{${name}}}`;
    const start = element?.selectionStart ?? form.body.length;
    const end = element?.selectionEnd ?? form.body.length;
    onChange({ body: form.body.slice(0, start) + text + form.body.slice(end) });
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + text.length, start + text.length);
    });
  };
  return (
    <>
      <Group grow align="flex-start" gap="xs">
        <TextInput
          label="Title"
          size="xs"
          withAsterisk
          value={form.name}
          onChange={(e) => onChange({ name: e.currentTarget.value })}
          error={errorOf(problemsAt(problems, 'name'))}
        />
        <TextInput
          label="Shortcut"
          size="xs"
          leftSection={<Text size="xs">/</Text>}
          placeholder="status"
          value={form.shortcut}
          onChange={(e) => onChange({ shortcut: e.currentTarget.value })}
          error={errorOf(problemsAt(problems, 'shortcut'))}
        />
      </Group>
      <Textarea
        ref={bodyRef}
        label={
          <Group gap={6} component="span">
            <span>Body</span>
            <Menu position="bottom-start" withinPortal shadow="md">
              <Menu.Target>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  leftSection={<IconVariable size={12} />}
                  component="span"
                >
                  Insert variable
                </Button>
              </Menu.Target>
              <Menu.Dropdown mah={320} style={{ overflowY: 'auto' }}>
                {TEMPLATE_VARIABLES.map((variable) => (
                  <Menu.Item key={variable.name} onClick={() => insert(variable.name)}>
                    <Text size="xs" ff="monospace">{`{{${variable.name}}}`}</Text>
                    <Text size="xs" c="dimmed">
                      {variable.description}
                    </Text>
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          </Group>
        }
        description="Variables such as {{customer.first_name}} are filled when an agent inserts the reply; {{order.carrier|}} adds a fallback after |."
        size="sm"
        autosize
        minRows={5}
        maxRows={14}
        value={form.body}
        onChange={(e) => onChange({ body: e.currentTarget.value })}
        error={errorOf(problemsAt(problems, 'body'))}
        data-testid="template-body"
      />
      {props.onAttachFile && <QuickReplyFileField {...props} onAttachFile={props.onAttachFile} />}
      <Filing {...props} />
    </>
  );
}

/** A quick reply's file: sent with the reply on the channels that take it. */
function QuickReplyFileField({
  form,
  problems,
  onChange,
  onAttachFile,
  attaching = null,
  attachError = null,
}: TemplateFormFieldsProps & { readonly onAttachFile: (file: File) => void }) {
  const file = form.attachment;
  const messages = [...(attachError ? [attachError] : []), ...problemsAt(problems, 'attachment')];
  return (
    <Input.Wrapper
      label="File"
      size="xs"
      description="Sent with the reply, e.g. a returns label; the agent can remove it before sending."
      error={errorOf(messages)}
    >
      {file ? (
        <Paper
          withBorder
          radius="sm"
          p={6}
          mt={4}
          display="flex"
          style={{ alignItems: 'center', gap: 8 }}
          data-testid="quick-reply-file"
        >
          <FileThumb
            sha256={file.sha256}
            mimeType={file.mimeType}
            size={32}
            icon={file.mimeType.startsWith('image/') ? IconPhoto : IconFileText}
            testId="quick-reply-file-thumb"
          />
          <div style={{ flex: 1, minWidth: 0 }}>
            <Text
              size="sm"
              fw={500}
              truncate="end"
              title={file.filename}
              data-testid="quick-reply-file-name"
            >
              {file.filename}
            </Text>
            <Text size="xs" c="dimmed" data-testid="quick-reply-file-details">
              {fileTypeLabel(file.mimeType, file.filename)}
              {file.size === undefined ? '' : ` · ${formatBytes(file.size)}`}
            </Text>
          </div>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label="Remove the file"
            onClick={() => onChange({ attachment: null })}
            data-testid="quick-reply-file-remove"
          >
            <IconX size={14} />
          </ActionIcon>
        </Paper>
      ) : (
        <Group gap="xs" mt={4}>
          <FileButton
            onChange={(picked) => picked && onAttachFile(picked)}
            inputProps={
              { 'data-testid': 'quick-reply-file-input' } as React.ComponentProps<'input'>
            }
          >
            {(buttonProps) => (
              <Button
                {...buttonProps}
                size="compact-xs"
                variant="light"
                leftSection={<IconPaperclip size={12} />}
                loading={attaching !== null}
                disabled={form.channels.length === 0}
                data-testid="quick-reply-attach"
              >
                Attach a file
              </Button>
            )}
          </FileButton>
          <Text size="xs" c="dimmed">
            {attaching !== null
              ? `Uploading ${attaching}…`
              : form.channels.length === 0
                ? 'Choose the channels first: the file is checked against their limits.'
                : 'One file per reply.'}
          </Text>
        </Group>
      )}
    </Input.Wrapper>
  );
}

function ButtonRow({
  button,
  index,
  errors,
  onChange,
  onRemove,
}: {
  button: TemplateButton;
  index: number;
  errors: readonly string[];
  onChange: (button: TemplateButton) => void;
  onRemove: () => void;
}) {
  const typeLabel = { quick_reply: 'Quick reply', url: 'Link', phone: 'Call' }[button.type];
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap" align="flex-start">
        <Text size="xs" c="dimmed" w={70} pt={6}>
          {typeLabel}
        </Text>
        <TextInput
          size="xs"
          placeholder="Label"
          aria-label={`Button ${index + 1} label`}
          value={button.text}
          onChange={(e) => onChange({ ...button, text: e.currentTarget.value })}
          rightSection={
            <Text size="10px" c="dimmed">
              {button.text.length}
            </Text>
          }
          style={{ flex: 1 }}
        />
        {button.type === 'url' && (
          <TextInput
            size="xs"
            placeholder="https://"
            aria-label={`Button ${index + 1} address`}
            value={button.url}
            onChange={(e) => onChange({ ...button, url: e.currentTarget.value })}
            style={{ flex: 1.4 }}
          />
        )}
        {button.type === 'phone' && (
          <TextInput
            size="xs"
            placeholder="+447700900123"
            aria-label={`Button ${index + 1} phone`}
            value={button.phone}
            onChange={(e) => onChange({ ...button, phone: e.currentTarget.value })}
            style={{ flex: 1.4 }}
          />
        )}
        <ActionIcon
          variant="subtle"
          color="gray"
          aria-label={`Remove button ${index + 1}`}
          onClick={onRemove}
          mt={2}
        >
          <IconTrash size={14} />
        </ActionIcon>
      </Group>
      {errors.length > 0 && (
        <Text size="xs" c="red" pl={76} data-testid="field-error">
          {errors.join(' · ')}
        </Text>
      )}
    </Stack>
  );
}

function WhatsAppFields(props: TemplateFormFieldsProps) {
  const { form, problems, onChange } = props;
  const variables = variableCount(form.body);
  const buttonsOf = (index: number, button: TemplateButton | null) =>
    button === null
      ? form.buttons.filter((_, i) => i !== index)
      : form.buttons.map((b, i) => (i === index ? button : b));
  return (
    <>
      <Group grow align="flex-start" gap="xs">
        <TextInput
          label="Name"
          size="xs"
          withAsterisk
          placeholder="order_update"
          value={form.name}
          onChange={(e) => onChange({ name: e.currentTarget.value })}
          error={errorOf(problemsAt(problems, 'name'))}
        />
        <Input.Wrapper label="Category" size="xs" withAsterisk>
          <SegmentedControl
            size="xs"
            fullWidth
            data={CATEGORY_OPTIONS}
            value={form.category ?? ''}
            onChange={(value) => {
              const category = CATEGORY_OPTIONS.find((o) => o.value === value)?.value;
              if (category) onChange({ category });
            }}
          />
        </Input.Wrapper>
      </Group>
      <TextInput
        label="Header"
        size="xs"
        placeholder="None"
        description={counter(form.header.length, WHATSAPP_LIMITS.headerLength)}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        value={form.header}
        onChange={(e) => onChange({ header: e.currentTarget.value })}
        error={errorOf(problemsAt(problems, 'header'))}
      />
      <Textarea
        label="Body"
        withAsterisk
        description={`${counter(form.body.length, WHATSAPP_LIMITS.bodyLength)} · variables {{1}}, {{2}}… in order`}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        size="sm"
        autosize
        minRows={5}
        maxRows={14}
        value={form.body}
        onChange={(e) => onChange({ body: e.currentTarget.value })}
        error={errorOf(problemsAt(problems, 'body'))}
        data-testid="template-body"
      />
      {variables > 0 && (
        <Stack gap={4}>
          <Text size="xs" fw={500}>
            Example values for Meta&apos;s review
          </Text>
          <SimpleGrid cols={2} spacing="xs" verticalSpacing={4}>
            {Array.from({ length: variables }, (_, i) => (
              <TextInput
                key={i}
                size="xs"
                leftSection={<Text size="xs" ff="monospace">{`{{${i + 1}}}`}</Text>}
                leftSectionWidth={44}
                aria-label={`Example for {{${i + 1}}}`}
                value={form.examples[i] ?? ''}
                onChange={(e) => {
                  const examples = Array.from(
                    { length: Math.max(variables, form.examples.length) },
                    (_, k) => form.examples[k] ?? '',
                  );
                  examples[i] = e.currentTarget.value;
                  onChange({ examples: examples.slice(0, variables) });
                }}
                error={errorOf(problemsAt(problems, `examples.${i}`))}
              />
            ))}
          </SimpleGrid>
        </Stack>
      )}
      <TextInput
        label="Footer"
        size="xs"
        placeholder="None"
        description={counter(form.footer.length, WHATSAPP_LIMITS.footerLength)}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        value={form.footer}
        onChange={(e) => onChange({ footer: e.currentTarget.value })}
        error={errorOf(problemsAt(problems, 'footer'))}
      />
      <Stack gap={4}>
        <Group justify="space-between">
          <Text size="xs" fw={500}>
            Buttons{' '}
            <Text span size="xs" c="dimmed">
              {form.buttons.length} / {WHATSAPP_LIMITS.buttons}
            </Text>
          </Text>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button size="compact-xs" variant="light" leftSection={<IconPlus size={12} />}>
                Add button
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item
                onClick={() =>
                  onChange({ buttons: [...form.buttons, { type: 'quick_reply', text: '' }] })
                }
              >
                Quick reply
              </Menu.Item>
              <Menu.Item
                onClick={() =>
                  onChange({
                    buttons: [...form.buttons, { type: 'url', text: '', url: 'https://' }],
                  })
                }
              >
                Link (URL)
              </Menu.Item>
              <Menu.Item
                onClick={() =>
                  onChange({ buttons: [...form.buttons, { type: 'phone', text: '', phone: '+' }] })
                }
              >
                Call (phone)
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
        {form.buttons.map((button, index) => (
          <ButtonRow
            key={index}
            button={button}
            index={index}
            errors={problemsAt(problems, `buttons.${index}`)}
            onChange={(changed) => onChange({ buttons: buttonsOf(index, changed) })}
            onRemove={() => onChange({ buttons: buttonsOf(index, null) })}
          />
        ))}
        {problemsAt(problems, 'buttons').map((message) => (
          <Text key={message} size="xs" c="red" data-testid="field-error">
            {message}
          </Text>
        ))}
      </Stack>
      <Filing {...props} />
      {form.status === 'rejected' && (
        <Textarea
          label="Rejection reason (from Meta)"
          size="xs"
          autosize
          minRows={2}
          value={form.rejectionReason}
          onChange={(e) => onChange({ rejectionReason: e.currentTarget.value })}
        />
      )}
    </>
  );
}

/** The form of one template: a quick reply's or a WhatsApp template's fields. */
export function TemplateFormFields(props: TemplateFormFieldsProps) {
  return (
    <Stack gap="xs">
      {props.form.kind === 'whatsapp' ? (
        <WhatsAppFields {...props} />
      ) : (
        <QuickReplyFields {...props} />
      )}
    </Stack>
  );
}

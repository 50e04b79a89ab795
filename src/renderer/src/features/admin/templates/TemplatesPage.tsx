import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { downloadBlob } from '../../../platform/save-file';
import {
  Alert,
  Badge,
  Box,
  Button,
  Divider,
  Group,
  Menu,
  Paper,
  ScrollArea,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconCheck,
  IconDeviceFloppy,
  IconFileExport,
  IconFileImport,
  IconPlus,
  IconTrash,
} from '@tabler/icons-react';
import { z } from 'zod';
import type { Template } from '../../../../../shared/domain/model';
import {
  importSummarySchema,
  quickReplyExportSchema,
  templateAnswerSchema,
  templateVersionsAnswerSchema,
  type ImportSummary,
  type TemplateVersion,
} from '../../../../../shared/protocol/templates';
import { clockNow } from '../../../app/clock';
import { useData, useRateCard, useTemplates } from '../../../data/hooks';
import type { Me } from '../../../data/types';
import { CategoryCosts, TemplatePreview, WhatsAppChecklist } from './TemplatePreview';
import { TemplateFormFields } from './TemplateFormFields';
import { TemplateList } from './TemplateList';
import {
  emptyForm,
  filterTemplates,
  foldersOf,
  formOf,
  formProblems,
  inputOfForm,
  isDirty,
  tagsOf,
  type ListFilter,
  type TemplateForm,
  type TemplateKind,
  uploadChannelOf,
} from './template-editor';
import { fileMimeType } from '../../composer/attachments';
import { VersionHistory } from './VersionHistory';
import { useFieldErrors } from '../field-errors';

const deletedSchema = z.object({ deleted: z.string() });

type Notice = { tone: 'error' | 'ok'; title: string; text: string } | null;

/** The template's versions from the hub, reloaded when it gets a new version. */
function useVersions(id: string | null, version: number | null) {
  const { request } = useData();
  const [state, setState] = useState<{
    key: string;
    versions: TemplateVersion[] | null;
    error: string | null;
  } | null>(null);
  const key = `${id ?? ''}@${version ?? 0}`;
  useEffect(() => {
    if (id === null) return undefined;
    let current = true;
    request(
      'GET',
      `/api/templates/${encodeURIComponent(id)}/versions`,
      templateVersionsAnswerSchema,
    ).then(
      (answer) => current && setState({ key, versions: answer.versions, error: null }),
      (error: unknown) =>
        current &&
        setState({
          key,
          versions: null,
          error: error instanceof Error ? error.message : 'The history could not be loaded.',
        }),
    );
    return () => {
      current = false;
    };
  }, [request, id, key]);
  return state?.key === key ? state : { versions: null, error: null };
}

function ImportSummaryView({ summary }: { summary: ImportSummary }) {
  return (
    <Stack gap={2} data-testid="import-summary">
      <Text size="xs">
        {summary.added.length} added · {summary.updated.length} updated · {summary.refused.length}{' '}
        refused
      </Text>
      {summary.refused.map((entry) => (
        <Text key={entry.index} size="xs" c="red">
          #{entry.index + 1} {entry.name ?? '(no title)'}: {entry.reasons.join('; ')}
        </Text>
      ))}
    </Stack>
  );
}

/**
 * The template editor (admins): the templates on the left, the selected one's form with a live
 * preview, WhatsApp's checks, the cost per category and the version history on the right.
 * Saves go to the hub, which checks them again; agents' apps get the change as a live event.
 */
export function TemplatesPage({ me }: { me: Me }) {
  const layer = useData();
  const { request } = layer;
  const templates = useTemplates();
  const rateCard = useRateCard() ?? null;
  const [filter, setFilter] = useState<ListFilter>({
    query: '',
    kind: 'all',
    folder: null,
    tag: null,
  });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [form, setForm] = useState<TemplateForm>(() => emptyForm('quick_reply'));
  const [notice, setNotice] = useState<Notice>(null);
  const [importSummary, setImportSummary] = useState<ImportSummary | null>(null);
  const [busy, setBusy] = useState<'save' | 'delete' | 'import' | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [restoring, setRestoring] = useState<number | null>(null);
  const [country, setCountry] = useState('GB');
  const fileInput = useRef<HTMLInputElement | null>(null);
  /** The quick reply's file being uploaded (its name), and why the last upload failed. */
  const [attaching, setAttaching] = useState<string | null>(null);
  const [attachError, setAttachError] = useState<string | null>(null);

  const all = useMemo(() => templates ?? [], [templates]);
  const saved = all.find((t) => t.id === selectedId) ?? null;
  // The version the form was opened from: another admin's save arrives live as a newer `saved`.
  const [base, setBase] = useState<Template | null>(null);
  const shown = useMemo(() => filterTemplates(all, filter), [all, filter]);
  const problems = useMemo(() => formProblems(form), [form]);
  // Shown beside each field once it is changed or Save is pressed: a fresh form shows none.
  const errors = useFieldErrors(form, problems);
  const dirty = isDirty(form, base);
  if (saved && base && saved.id === base.id && saved.version > base.version && !dirty) {
    // Untouched form: show the newer version (derived state, adjusted while rendering).
    setBase(saved);
    setForm(formOf(saved));
  }
  const changedElsewhere =
    saved && base && saved.id === base.id && saved.version > base.version ? saved : null;
  const history = useVersions(selectedId, saved?.version ?? null);

  const select = (template: Template) => {
    setSelectedId(template.id);
    setBase(template);
    setForm(formOf(template));
    setNotice(null);
    setConfirmDelete(false);
    errors.reset();
  };
  const startNew = (kind: TemplateKind) => {
    setSelectedId(null);
    setBase(null);
    setForm(emptyForm(kind));
    setNotice(null);
    setConfirmDelete(false);
    errors.reset();
  };
  const { touch } = errors;
  const change = useCallback(
    (patch: Partial<TemplateForm>) => {
      // A field the user changed is touched: its errors show from now on.
      for (const key of Object.keys(patch)) touch(key);
      setForm((f) => ({ ...f, ...patch }));
    },
    [touch],
  );
  /** Upload the picked file to the hub's media store, then reference it from the form. */
  const attachFile = async (file: File) => {
    const channel = uploadChannelOf(form);
    if (channel === null) return;
    setAttaching(file.name);
    setAttachError(null);
    try {
      const stored = await layer.media.upload(file, {
        channel,
        filename: file.name,
        mimeType: fileMimeType(file),
      });
      change({ attachment: stored });
    } catch (error) {
      setAttachError(error instanceof Error ? error.message : 'The file was not uploaded.');
    } finally {
      setAttaching(null);
    }
  };
  const failed = (title: string, error: unknown) =>
    setNotice({
      tone: 'error',
      title,
      text: error instanceof Error ? error.message : 'The hub did not answer.',
    });

  const save = async () => {
    setNotice(null);
    if (!errors.submit()) return;
    setBusy('save');
    try {
      const { template } = await request(
        selectedId === null ? 'POST' : 'PUT',
        selectedId === null ? '/api/templates' : `/api/templates/${encodeURIComponent(selectedId)}`,
        templateAnswerSchema,
        inputOfForm(form),
      );
      // Cache it now: the live event will bring the same version (an upsert by version).
      await layer.db.templates.put(template);
      setSelectedId(template.id);
      setBase(template);
      setForm(formOf(template));
      errors.reset();
      setNotice({ tone: 'ok', title: 'Saved', text: `Version ${template.version} is live.` });
    } catch (error) {
      // Field errors (a taken shortcut) go beside their field; anything else is said here.
      const general = errors.refused(error);
      if (general !== null) failed('The template was not saved', new Error(general));
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    if (selectedId === null) return;
    setBusy('delete');
    try {
      await request('DELETE', `/api/templates/${encodeURIComponent(selectedId)}`, deletedSchema);
      await layer.db.templates.delete(selectedId);
      startNew(form.kind);
      setNotice({ tone: 'ok', title: 'Deleted', text: `${form.name} was deleted.` });
    } catch (error) {
      failed('The template could not be deleted', error);
    } finally {
      setBusy(null);
      setConfirmDelete(false);
    }
  };

  const restore = async (version: number) => {
    if (selectedId === null) return;
    setRestoring(version);
    try {
      const { template } = await request(
        'POST',
        `/api/templates/${encodeURIComponent(selectedId)}/restore`,
        templateAnswerSchema,
        { version },
      );
      await layer.db.templates.put(template);
      setBase(template);
      setForm(formOf(template));
      setNotice({
        tone: 'ok',
        title: 'Restored',
        text: `Version ${version} is back as version ${template.version}.`,
      });
    } catch (error) {
      failed('The version could not be restored', error);
    } finally {
      setRestoring(null);
    }
  };

  const exportQuickReplies = async () => {
    try {
      const file = await request('GET', '/api/templates/export', quickReplyExportSchema);
      const blob = new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' });
      downloadBlob(blob, `quick-replies-${file.exportedAt.slice(0, 10)}.json`);
    } catch (error) {
      failed('The export failed', error);
    }
  };

  const importQuickReplies = async (file: File | null) => {
    if (!file) return;
    setBusy('import');
    setImportSummary(null);
    setNotice(null);
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await file.text());
      } catch {
        throw new Error(`${file.name} is not a JSON file.`);
      }
      const entries = Array.isArray(parsed)
        ? parsed
        : typeof parsed === 'object' && parsed !== null && 'quickReplies' in parsed
          ? parsed.quickReplies
          : null;
      if (!Array.isArray(entries)) {
        throw new Error(`${file.name} has no quick replies (a "quickReplies" list was expected).`);
      }
      setImportSummary(
        await request('POST', '/api/templates/import', importSummarySchema, {
          quickReplies: entries,
        }),
      );
    } catch (error) {
      failed('The import failed', error);
    } finally {
      setBusy(null);
    }
  };

  const title =
    selectedId === null
      ? `New ${form.kind === 'whatsapp' ? 'WhatsApp template' : 'quick reply'}`
      : form.name || saved?.name || '';

  return (
    <Box
      data-testid="templates-page"
      style={{
        display: 'grid',
        gridTemplateColumns: '280px minmax(0, 1fr)',
        gap: 'var(--mantine-spacing-md)',
        height: 'calc(100dvh - 44px - 2 * var(--mantine-spacing-md))',
        minHeight: 480,
      }}
    >
      <Paper
        withBorder
        p="xs"
        radius="md"
        style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}
      >
        <Group justify="space-between" mb={6} wrap="nowrap">
          <Title order={5}>Templates</Title>
          <Group gap={4} wrap="nowrap">
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button size="compact-xs" leftSection={<IconPlus size={12} />}>
                  New
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => startNew('quick_reply')}>Quick reply</Menu.Item>
                <Menu.Item onClick={() => startNew('whatsapp')}>WhatsApp template</Menu.Item>
              </Menu.Dropdown>
            </Menu>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button size="compact-xs" variant="default" loading={busy === 'import'}>
                  JSON
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>Quick replies</Menu.Label>
                <Menu.Item leftSection={<IconFileExport size={14} />} onClick={exportQuickReplies}>
                  Export…
                </Menu.Item>
                <Menu.Item
                  leftSection={<IconFileImport size={14} />}
                  onClick={() => fileInput.current?.click()}
                >
                  Import…
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
            {/* Outside the menu: the menu unmounts its items when it closes, before a file is picked. */}
            <input
              ref={fileInput}
              type="file"
              accept="application/json,.json"
              hidden
              data-testid="import-file"
              onChange={(event) => {
                const file = event.currentTarget.files?.[0] ?? null;
                event.currentTarget.value = '';
                void importQuickReplies(file);
              }}
            />
          </Group>
        </Group>
        {importSummary && (
          <Alert
            color={importSummary.refused.length > 0 ? 'orange' : 'teal'}
            variant="light"
            p={8}
            mb={6}
            withCloseButton
            onClose={() => setImportSummary(null)}
            title={
              <Text size="xs" fw={600}>
                Import
              </Text>
            }
          >
            <ImportSummaryView summary={importSummary} />
          </Alert>
        )}
        <Box style={{ flex: 1, minHeight: 0 }}>
          <TemplateList
            templates={shown}
            total={all.length}
            filter={filter}
            folders={foldersOf(all)}
            tags={tagsOf(all)}
            selectedId={selectedId}
            onFilter={setFilter}
            onSelect={select}
          />
        </Box>
      </Paper>

      <Paper
        withBorder
        radius="md"
        style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}
      >
        <Group justify="space-between" px="md" py={8} wrap="nowrap">
          <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
            <Title order={5} lineClamp={1} data-testid="editor-title">
              {title}
            </Title>
            <Badge size="xs" variant="light" color={form.kind === 'whatsapp' ? 'green' : 'blue'}>
              {form.kind === 'whatsapp' ? 'WhatsApp template' : 'Quick reply'}
            </Badge>
            {saved && (
              <Text size="xs" c="dimmed">
                v{saved.version}
              </Text>
            )}
            {dirty && (
              <Badge size="xs" variant="dot" color="orange">
                unsaved
              </Badge>
            )}
          </Group>
          <Group gap={6} wrap="nowrap">
            {notice?.tone === 'ok' && (
              <Group gap={4} wrap="nowrap" c="teal" data-testid="template-notice">
                <IconCheck size={14} />
                <Text size="xs" c="teal">
                  {notice.title} · {notice.text}
                </Text>
              </Group>
            )}
            {selectedId !== null &&
              (confirmDelete ? (
                <>
                  <Button size="xs" variant="default" onClick={() => setConfirmDelete(false)}>
                    Keep
                  </Button>
                  <Button size="xs" color="red" loading={busy === 'delete'} onClick={remove}>
                    Delete for everyone
                  </Button>
                </>
              ) : (
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  leftSection={<IconTrash size={14} />}
                  onClick={() => setConfirmDelete(true)}
                >
                  Delete
                </Button>
              ))}
            <Button
              size="xs"
              leftSection={<IconDeviceFloppy size={14} />}
              loading={busy === 'save'}
              disabled={!dirty && selectedId !== null}
              onClick={save}
            >
              {selectedId === null ? 'Create' : 'Save'}
            </Button>
          </Group>
        </Group>
        <Divider />
        {changedElsewhere && (
          <Alert
            mx="md"
            mt="xs"
            py={6}
            px="sm"
            variant="light"
            color="orange"
            data-testid="changed-elsewhere"
          >
            <Group gap={8} justify="space-between" wrap="nowrap">
              <Text size="xs">
                Version {changedElsewhere.version} was saved by someone else while you edited.
                Saving now replaces it with your version.
              </Text>
              <Button
                size="compact-xs"
                variant="light"
                color="orange"
                onClick={() => {
                  setBase(changedElsewhere);
                  setForm(formOf(changedElsewhere));
                }}
              >
                Load theirs
              </Button>
            </Group>
          </Alert>
        )}
        {notice?.tone === 'error' && (
          <Alert
            mx="md"
            mt="xs"
            py={6}
            px="sm"
            variant="light"
            color="red"
            icon={<IconAlertTriangle size={16} />}
            withCloseButton
            onClose={() => setNotice(null)}
            data-testid="template-error"
          >
            <Text size="xs">
              <Text span size="xs" fw={600}>
                {notice.title}:
              </Text>{' '}
              {notice.text}
            </Text>
          </Alert>
        )}
        <Box
          style={{
            flex: 1,
            minHeight: 0,
            display: 'grid',
            gridTemplateColumns: 'minmax(0, 1fr) 340px',
          }}
        >
          <ScrollArea type="auto" offsetScrollbars>
            <Box p="md" pt="sm">
              <TemplateFormFields
                form={form}
                problems={errors.shown}
                folders={foldersOf(all)}
                tags={tagsOf(all)}
                onChange={change}
                {...(form.kind === 'quick_reply'
                  ? { onAttachFile: (file: File) => void attachFile(file), attaching, attachError }
                  : {})}
              />
            </Box>
          </ScrollArea>
          <ScrollArea
            type="auto"
            offsetScrollbars
            style={{ borderLeft: '1px solid var(--mantine-color-default-border)' }}
          >
            <Stack gap="md" p="md" pt="sm">
              <TemplatePreview form={form} />
              {form.kind === 'whatsapp' && (
                <>
                  <WhatsAppChecklist form={form} />
                  <CategoryCosts
                    form={form}
                    rateCard={rateCard}
                    country={country}
                    onCountry={setCountry}
                    at={clockNow()}
                  />
                </>
              )}
              {form.kind === 'quick_reply' && errors.shown.length > 0 && (
                <Text size="xs" c="red" data-testid="quick-reply-problems">
                  {errors.shown.length === 1 ? '1 problem' : `${errors.shown.length} problems`} to
                  fix before saving.
                </Text>
              )}
              {saved && (
                <VersionHistory
                  versions={history.versions}
                  error={history.error}
                  currentVersion={saved.version}
                  restoring={restoring}
                  onRestore={restore}
                />
              )}
              {!saved && (
                <Text size="xs" c="dimmed">
                  Signed in as {me.name}. Every save keeps a version you can restore.
                </Text>
              )}
            </Stack>
          </ScrollArea>
        </Box>
      </Paper>
    </Box>
  );
}

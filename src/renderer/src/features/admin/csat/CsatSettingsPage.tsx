import { useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Group,
  Loader,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconAlertCircle, IconCheck } from '@tabler/icons-react';
import { z } from 'zod';
import { MINUTE_MS } from '../../../../../shared/domain/channels';
import type { Template } from '../../../../../shared/domain/model';
import { checkFields } from '../../../../../shared/protocol/field-errors';
import { positionalNames } from '../../../../../shared/templates';
import {
  CSAT_OPTIONS,
  csatSettingsSchema,
  type CsatScale,
  type CsatSettings,
} from '../../../../../shared/csat';
import { useData, useTemplates } from '../../../data/hooks';
import type { Me } from '../../../data/types';
import { useFieldErrors } from '../field-errors';
import { useHubResource } from '../use-hub-resource';
import { useSubmit } from '../use-submit';
import { LoadFailed } from '../LoadFailed';

const answerSchema = z.object({ settings: csatSettingsSchema });
const REFRESH_ON = ['csat.updated'] as const;

/** The fields this form draws: an error elsewhere is said below them. */
const PLACED = ['enabled', 'question', 'scale', 'delayMs', 'askComment', 'whatsappTemplateId'];

const SCALE_OPTIONS = [
  { value: 'three', label: 'Good / Okay / Bad' },
  { value: 'five', label: '1–5' },
];

/** What the hub takes outside the window: approved, no variables, one quick reply per option. */
export function fitsScale(template: Template, scale: CsatScale): boolean {
  return (
    template.kind === 'whatsapp' &&
    template.status === 'approved' &&
    positionalNames(template.body).numbers.length === 0 &&
    template.buttons.filter((b) => b.type === 'quick_reply').length === CSAT_OPTIONS[scale].length
  );
}

/** The form's value: the delay in minutes as typed (empty while the field is cleared). */
interface Draft extends Omit<CsatSettings, 'delayMs'> {
  readonly delayMinutes: number | string;
}

const draftOf = (settings: CsatSettings): Draft => {
  const { delayMs, ...rest } = settings;
  return { ...rest, delayMinutes: delayMs / MINUTE_MS };
};

/** One settings value as another (key order aside). */
const same = (a: CsatSettings, b: CsatSettings): boolean =>
  (Object.keys(a) as (keyof CsatSettings)[]).every((key) => Object.is(a[key], b[key]));

const settingsOf = (draft: Draft): CsatSettings => {
  const { delayMinutes, ...rest } = draft;
  const minutes = typeof delayMinutes === 'number' ? delayMinutes : Number.NaN;
  return { ...rest, question: rest.question.trim(), delayMs: Math.round(minutes * MINUTE_MS) };
};

/**
 * CSAT (admins): whether and how the hub asks customers to rate a resolved conversation. The hub
 * validates (the WhatsApp template above all) and tells every app (`csat.updated`); another
 * admin's change shows here unless this form has unsaved edits.
 */
export function CsatSettingsPage({ me }: { me: Me }) {
  const layer = useData();
  const resource = useHubResource('/api/csat/settings', answerSchema, REFRESH_ON);
  const templates = useTemplates();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [base, setBase] = useState<CsatSettings | null>(null);
  const [saved, setSaved] = useState(false);
  const { busy, error, setError, run } = useSubmit();
  const admin = me.role === 'admin';

  const value = useMemo(() => (draft ? settingsOf(draft) : null), [draft]);
  const client = useMemo(() => {
    if (!value) return [];
    const checked = checkFields(csatSettingsSchema, value);
    return checked.ok ? [] : checked.fields;
  }, [value]);
  const errors = useFieldErrors(value, client);
  const dirty = value !== null && base !== null && !same(value, base);

  // The hub's settings (first read, another admin's save): taken unless this form has edits.
  const hubSettings = resource.data?.settings ?? null;
  const [taken, setTaken] = useState<CsatSettings | null>(null);
  if (hubSettings !== null && hubSettings !== taken) {
    setTaken(hubSettings);
    setBase(hubSettings);
    setDraft(
      draft === null || (base !== null && same(settingsOf(draft), base))
        ? draftOf(hubSettings)
        : draft,
    );
  }

  const change = (patch: Partial<Draft>) => {
    setSaved(false);
    setDraft((before) => (before ? { ...before, ...patch } : before));
  };

  const fitting = useMemo(() => {
    if (!draft || !templates) return [];
    const fit = templates.filter((t) => fitsScale(t, draft.scale));
    // The chosen one stays listed even when it no longer fits (the hub says why).
    const chosen = templates.find((t) => t.id === draft.whatsappTemplateId);
    return chosen && !fit.includes(chosen) ? [chosen, ...fit] : fit;
  }, [draft, templates]);

  const save = () => {
    if (!value) return;
    setSaved(false);
    if (!errors.submit()) return;
    void run(
      async () => {
        const answer = await layer.request('PUT', '/api/csat/settings', answerSchema, value);
        setBase(answer.settings);
        setDraft(draftOf(answer.settings));
        errors.reset();
        setSaved(true);
      },
      (failure) => errors.refused(failure),
    );
  };

  if (resource.error && !resource.data)
    return (
      <LoadFailed
        title="The CSAT settings could not be loaded"
        error={resource.error}
        onRetry={resource.reload}
      />
    );

  return (
    <Stack gap="md" maw={760} data-testid="csat-settings-page">
      <div>
        <Title order={3}>Customer satisfaction</Title>
        <Text size="sm" c="dimmed">
          After a conversation is resolved the hub asks the customer to rate the help. Ratings show
          on the dashboard by agent, team and channel.
        </Text>
      </div>
      {draft === null ? (
        <Group gap="xs" py="md">
          <Loader size="xs" />
          <Text size="sm" c="dimmed">
            Loading the settings…
          </Text>
        </Group>
      ) : (
        <Paper withBorder p="md">
          <Stack gap="md">
            <Switch
              label="Ask customers for a rating"
              description="Off: resolving asks nothing."
              checked={draft.enabled}
              disabled={!admin}
              onChange={(event) => change({ enabled: event.currentTarget.checked })}
              error={errors.of('enabled')}
              data-testid="csat-enabled"
            />
            <Textarea
              label="Question"
              autosize
              minRows={2}
              maxLength={500}
              value={draft.question}
              disabled={!admin}
              onChange={(event) => change({ question: event.currentTarget.value })}
              onBlur={() => errors.touch('question')}
              error={errors.of('question')}
              data-testid="csat-question"
            />
            <div>
              <Text size="sm" fw={500} mb={4}>
                Scale
              </Text>
              <SegmentedControl
                data={SCALE_OPTIONS}
                value={draft.scale}
                disabled={!admin}
                onChange={(scale) => change({ scale: scale as CsatScale })}
                data-testid="csat-scale"
              />
              <Text size="xs" c="dimmed" mt={4}>
                {draft.scale === 'three'
                  ? 'Three buttons: Good, Okay, Bad.'
                  : 'Five options, 5 Excellent to 1 Bad. WhatsApp takes at most 3 buttons, so there it goes out as a list the customer opens.'}
              </Text>
              {errors.of('scale') ? (
                <Text size="xs" c="red" mt={4}>
                  {errors.of('scale')}
                </Text>
              ) : null}
            </div>
            <NumberInput
              label="Delay after resolving"
              description="Minutes. Re-opening the conversation before then cancels the question."
              suffix=" min"
              min={0}
              max={7 * 24 * 60}
              allowDecimal={false}
              w={380}
              value={draft.delayMinutes}
              disabled={!admin}
              onChange={(delayMinutes) => change({ delayMinutes })}
              onBlur={() => errors.touch('delayMs')}
              error={errors.of('delayMs')}
              data-testid="csat-delay"
            />
            <Switch
              label="Ask for a comment after the rating"
              description="The customer's next message within an hour is kept with the rating."
              checked={draft.askComment}
              disabled={!admin}
              onChange={(event) => change({ askComment: event.currentTarget.checked })}
              error={errors.of('askComment')}
              data-testid="csat-ask-comment"
            />
            <Select
              label="WhatsApp template outside the 24-hour window"
              description={`Approved templates without variables and with ${CSAT_OPTIONS[draft.scale].length} quick-reply buttons, best first. None: not asked once the window has closed.`}
              placeholder="None"
              clearable
              data={fitting.map((t) => ({ value: t.id, label: `${t.name} (${t.language})` }))}
              nothingFoundMessage="No approved template fits this scale"
              value={draft.whatsappTemplateId}
              disabled={!admin}
              onChange={(whatsappTemplateId) => {
                errors.touch('whatsappTemplateId');
                change({ whatsappTemplateId });
              }}
              error={errors.of('whatsappTemplateId')}
              data-testid="csat-template"
            />
            {errors.unplaced(PLACED).map((message) => (
              <Text key={message} size="sm" c="red">
                {message}
              </Text>
            ))}
            {error ? (
              <Alert
                color="red"
                variant="light"
                icon={<IconAlertCircle size={16} />}
                withCloseButton
                onClose={() => setError(null)}
                data-testid="csat-error"
              >
                {error}
              </Alert>
            ) : null}
            {admin ? (
              <Group justify="flex-end" gap="xs">
                {saved && !dirty ? (
                  <Group gap={4} c="teal" data-testid="csat-saved">
                    <IconCheck size={16} />
                    <Text size="sm">Saved</Text>
                  </Group>
                ) : null}
                {dirty ? (
                  <Button
                    variant="default"
                    disabled={busy}
                    onClick={() => {
                      if (base) setDraft(draftOf(base));
                      errors.reset();
                    }}
                  >
                    Discard changes
                  </Button>
                ) : null}
                <Button onClick={save} loading={busy} disabled={!dirty} data-testid="csat-save">
                  Save
                </Button>
              </Group>
            ) : null}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

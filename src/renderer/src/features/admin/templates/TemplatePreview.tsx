import { Badge, Group, Paper, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconExternalLink, IconPhone, IconX } from '@tabler/icons-react';
import type { RateCard } from '../../../../../shared/pricing';
import {
  categoryCosts,
  quickReplyPreview,
  whatsappChecklist,
  whatsappCountries,
  whatsappPreview,
  type TemplateForm,
} from './template-editor';

function SectionTitle({ children }: { children: string }) {
  return (
    <Text size="xs" fw={600} c="dimmed" tt="uppercase" lts={0.4}>
      {children}
    </Text>
  );
}

const bubble = {
  whiteSpace: 'pre-wrap',
  overflowWrap: 'anywhere',
  background: 'light-dark(var(--mantine-color-teal-0), var(--mantine-color-dark-5))',
} as const;

const valueMark = {
  background: 'light-dark(var(--mantine-color-teal-1), var(--mantine-color-teal-9))',
  color: 'inherit',
  borderRadius: 3,
  padding: '0 2px',
} as const;
const missingMark = {
  background: 'light-dark(var(--mantine-color-red-1), var(--mantine-color-red-9))',
  color: 'inherit',
  borderRadius: 3,
  padding: '0 2px',
} as const;

/**
 * The message as the customer would see it, filled from a sample customer and order (Ana Lima,
 * order 100482) with the composer's renderer; WhatsApp variables take their example values.
 */
export function TemplatePreview({ form }: { form: TemplateForm }) {
  if (form.kind === 'quick_reply') {
    const segments = quickReplyPreview(form.body);
    return (
      <Stack gap={6}>
        <SectionTitle>Preview · sample: Ana Lima, order 100482</SectionTitle>
        <Paper p="sm" radius="md" style={bubble} data-testid="template-preview">
          {segments.length === 0 ? (
            <Text size="sm" c="dimmed">
              The reply appears here as you type.
            </Text>
          ) : (
            <Text size="sm" component="div">
              {segments.map((segment, i) =>
                segment.kind === 'text' ? (
                  <span key={i}>{segment.text}</span>
                ) : (
                  <mark
                    key={i}
                    style={segment.kind === 'value' ? valueMark : missingMark}
                    title={segment.name}
                  >
                    {segment.text}
                  </mark>
                ),
              )}
            </Text>
          )}
        </Paper>
      </Stack>
    );
  }
  const segments = whatsappPreview(form.body, form.examples);
  return (
    <Stack gap={6}>
      <SectionTitle>Preview · with the example values</SectionTitle>
      <Paper p="sm" radius="md" style={bubble} data-testid="template-preview">
        <Stack gap={6}>
          {form.header.trim() !== '' && (
            <Text size="sm" fw={700}>
              {form.header}
            </Text>
          )}
          <Text size="sm" component="div">
            {segments.length === 0 ? (
              <Text span size="sm" c="dimmed">
                The message appears here as you type.
              </Text>
            ) : (
              segments.map((segment, i) =>
                segment.kind === 'text' ? (
                  <span key={i}>{segment.text}</span>
                ) : (
                  <mark key={i} style={segment.kind === 'value' ? valueMark : missingMark}>
                    {segment.text}
                  </mark>
                ),
              )
            )}
          </Text>
          {form.footer.trim() !== '' && (
            <Text size="xs" c="dimmed">
              {form.footer}
            </Text>
          )}
        </Stack>
      </Paper>
      {form.buttons.length > 0 && (
        <Group gap={4} grow>
          {form.buttons.map((button, i) => (
            <Paper
              key={i}
              withBorder
              radius="md"
              px={6}
              py={4}
              style={{ textAlign: 'center', minWidth: 0 }}
            >
              <Group gap={4} justify="center" wrap="nowrap">
                {button.type === 'url' && <IconExternalLink size={12} />}
                {button.type === 'phone' && <IconPhone size={12} />}
                <Text size="xs" c="blue" truncate>
                  {button.text || '…'}
                </Text>
              </Group>
            </Paper>
          ))}
        </Group>
      )}
    </Stack>
  );
}

/** WhatsApp's checks before submission, every rule with a tick or its reasons. */
export function WhatsAppChecklist({ form }: { form: TemplateForm }) {
  const rules = whatsappChecklist(form);
  const failing = rules.filter((r) => !r.ok).length;
  return (
    <Stack gap={4} data-testid="whatsapp-checks">
      <Group justify="space-between">
        <SectionTitle>WhatsApp checks</SectionTitle>
        <Badge size="xs" variant="light" color={failing === 0 ? 'teal' : 'red'}>
          {failing === 0 ? 'ready to submit' : `${failing} to fix`}
        </Badge>
      </Group>
      {rules.map((rule) => (
        <Group key={rule.label} gap={6} wrap="nowrap" align="flex-start">
          {rule.ok ? (
            <IconCheck
              size={14}
              color="var(--mantine-color-teal-6)"
              style={{ flexShrink: 0, marginTop: 2 }}
            />
          ) : (
            <IconX
              size={14}
              color="var(--mantine-color-red-6)"
              style={{ flexShrink: 0, marginTop: 2 }}
            />
          )}
          <Stack gap={0}>
            <Text size="xs" c={rule.ok ? undefined : 'red'}>
              {rule.label}
            </Text>
            {rule.reasons.map((reason) => (
              <Text key={reason} size="xs" c="dimmed" data-testid="check-reason">
                {reason}
              </Text>
            ))}
          </Stack>
        </Group>
      ))}
    </Stack>
  );
}

const CATEGORY_LABELS = {
  marketing: 'Marketing',
  utility: 'Utility',
  authentication: 'Authentication',
} as const;

/** What one template of each category costs outside the window, from the rate card. */
export function CategoryCosts({
  form,
  rateCard,
  country,
  onCountry,
  at,
}: {
  form: TemplateForm;
  rateCard: RateCard | null;
  country: string;
  onCountry: (country: string) => void;
  at: number;
}) {
  const costs = categoryCosts(rateCard, country, at);
  const countries = whatsappCountries(rateCard);
  const example = costs.some((c) => c.cost.example);
  return (
    <Stack gap={4} data-testid="category-costs">
      <Group justify="space-between" wrap="nowrap">
        <SectionTitle>Cost by category</SectionTitle>
        <Select
          size="xs"
          w={110}
          aria-label="Sample country"
          data={countries.map((c) => ({ value: c, label: c === 'default' ? 'Other' : c }))}
          value={country}
          allowDeselect={false}
          onChange={(value) => value && onCountry(value)}
        />
      </Group>
      <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={4} fz="xs">
        <Table.Tbody>
          {costs.map(({ category, cost }) => (
            <Table.Tr
              key={category}
              fw={form.category === category ? 700 : undefined}
              data-current={form.category === category || undefined}
            >
              <Table.Td>{CATEGORY_LABELS[category]}</Table.Td>
              <Table.Td ta="right">
                <Tooltip label={cost.detail} multiline w={260}>
                  <span>{cost.label}</span>
                </Tooltip>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        One template sent after the 24 h window to{' '}
        {country === 'default' ? 'other countries' : country}, from the
        {example ? ' example' : ''} rate card
        {example ? ' (illustrative prices; an admin edits them)' : ''}.
      </Text>
    </Stack>
  );
}

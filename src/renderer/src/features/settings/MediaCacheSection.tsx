import { useState } from 'react';
import { Box, Button, Group, Progress, Select, Stack, Text } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useData } from '../../data/hooks';
import { DEFAULT_MEDIA_BUDGET_BYTES } from '../../data/media-cache';
import { useMediaUsage } from '../../data/media-hooks';
import { formatBytes } from '../../format/files';

/**
 * Settings → the media cache (issue #14 item 4): photos, voice notes and files already opened are
 * kept on this computer for offline reading, within a budget the agent sees and sets here; the
 * least recently used go first. Clearing keeps files of replies still waiting to be sent.
 */

const MB = 1024 * 1024;
/** The budgets offered; all within the cache's allowed range (50 MB – 20 GB). */
export const MEDIA_BUDGET_CHOICES = [100, 250, 500, 1024, 2048, 5120, 10240].map((n) => n * MB);

/** The choices, with the current budget among them even when it was set to another value. */
export function budgetOptions(current: number): { value: string; label: string }[] {
  const values = MEDIA_BUDGET_CHOICES.includes(current)
    ? MEDIA_BUDGET_CHOICES
    : [...MEDIA_BUDGET_CHOICES, current].sort((a, b) => a - b);
  return values.map((bytes) => ({ value: String(bytes), label: formatBytes(bytes) }));
}

/** `123 MB of 500 MB · 42 files` */
export function usageLine(bytes: number, budget: number, files: number): string {
  return `${formatBytes(bytes)} of ${formatBytes(budget)} · ${files} ${files === 1 ? 'file' : 'files'}`;
}

export function MediaCacheSection() {
  const { media } = useData();
  const usage = useMediaUsage();
  const [error, setError] = useState<string | null>(null);
  const [clearing, setClearing] = useState(false);
  const report = (failure: unknown) =>
    setError(failure instanceof Error ? failure.message : 'The media cache could not be changed.');

  return (
    <Stack gap={6} data-testid="media-cache-settings">
      <Group justify="space-between" align="center" wrap="nowrap" gap="lg">
        <Box miw={0}>
          <Text size="sm" fw={500} component="label" htmlFor="media-cache-budget">
            Media kept for offline reading
          </Text>
          <Text size="xs" c="dimmed">
            Photos, voice notes and files you opened. When full, the least recently used go first.
          </Text>
        </Box>
        <Select
          id="media-cache-budget"
          size="xs"
          w={110}
          allowDeselect={false}
          disabled={usage === undefined}
          data={budgetOptions(usage?.budget ?? DEFAULT_MEDIA_BUDGET_BYTES)}
          value={usage ? String(usage.budget) : null}
          onChange={(value) => {
            if (value === null) return;
            setError(null);
            media.cache.setBudget(Number(value)).catch(report);
          }}
          comboboxProps={{ withinPortal: true }}
          aria-label="Media cache size"
          data-testid="media-cache-budget"
        />
      </Group>
      <Progress
        value={usage && usage.budget > 0 ? Math.min(100, (usage.bytes / usage.budget) * 100) : 0}
        size="sm"
        radius="xl"
        aria-label="Media cache used"
      />
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed" data-testid="media-cache-usage">
          {usage ? usageLine(usage.bytes, usage.budget, usage.files) : 'Reading…'}
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          color="gray"
          leftSection={<IconTrash size={12} />}
          disabled={!usage || usage.files === 0}
          loading={clearing}
          onClick={() => {
            setClearing(true);
            setError(null);
            media.cache
              .clear()
              .catch(report)
              .finally(() => setClearing(false));
          }}
          data-testid="media-cache-clear"
        >
          Clear media
        </Button>
      </Group>
      {error && (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import type { TemplateVersion } from '../../../../../shared/protocol/templates';
import { formatDateTime } from '../../../format/dates';
import { describeVersion } from './template-editor';

export interface VersionHistoryProps {
  /** Newest first; null while loading. */
  readonly versions: readonly TemplateVersion[] | null;
  readonly error: string | null;
  readonly currentVersion: number;
  readonly restoring: number | null;
  readonly onRestore: (version: number) => void;
  readonly locale?: string;
}

const when = (at: number, locale?: string): string => formatDateTime(at, { locale });

/** Every saved version: who saved it, when, which fields changed; older ones can be restored. */
export function VersionHistory({
  versions,
  error,
  currentVersion,
  restoring,
  onRestore,
  locale,
}: VersionHistoryProps) {
  return (
    <Stack gap={4} data-testid="version-history">
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" lts={0.4}>
        History
      </Text>
      {error !== null && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
      {versions === null && error === null && (
        <Text size="xs" c="dimmed">
          Loading…
        </Text>
      )}
      {versions?.map((version) => (
        <Group
          key={version.version}
          gap={6}
          wrap="nowrap"
          align="flex-start"
          data-testid="version-row"
        >
          <Badge
            size="xs"
            variant={version.version === currentVersion ? 'filled' : 'light'}
            color="gray"
            w={34}
            style={{ flexShrink: 0 }}
          >
            v{version.version}
          </Badge>
          <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
            <Text size="xs">{describeVersion(version)}</Text>
            <Text size="xs" c="dimmed">
              {version.by?.name ?? 'Replydesk'} · {when(version.at, locale)}
            </Text>
          </Stack>
          {version.version !== currentVersion && (
            <Button
              size="compact-xs"
              variant="subtle"
              loading={restoring === version.version}
              disabled={restoring !== null}
              onClick={() => onRestore(version.version)}
              aria-label={`Restore version ${version.version}`}
            >
              Restore
            </Button>
          )}
        </Group>
      ))}
    </Stack>
  );
}

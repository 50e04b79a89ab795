import { useEffect, useState } from 'react';
import { AppShell, Badge, Group, NavLink, Text, Tooltip } from '@mantine/core';
import { IconClockHour4, IconDeviceDesktop, IconWorld } from '@tabler/icons-react';
import type { AppInfo, DesktopApi } from '../../../shared/ipc/contract';
import { ReplyWindowsPage } from '../features/reply-windows/ReplyWindowsPage';
import { hubUrlOf, useHubStatus, type HubStatus } from './useHubStatus';

function HubBadge({ status }: { status: HubStatus }) {
  switch (status.kind) {
    case 'none':
      return null;
    case 'checking':
      return (
        <Badge variant="light" color="gray" size="sm">
          Connecting…
        </Badge>
      );
    case 'online':
      return (
        <Badge variant="dot" color="teal" size="sm" data-testid="hub-status">
          Hub connected
        </Badge>
      );
    case 'offline':
      return (
        <Tooltip label={`Retrying at ${new Date(status.retryAt).toLocaleTimeString()}`}>
          <Badge variant="dot" color="orange" size="sm" data-testid="hub-status">
            Hub unreachable
          </Badge>
        </Tooltip>
      );
  }
}

function RuntimeBadge({ info, desktop }: { info: AppInfo | null; desktop: boolean }) {
  return (
    <Group gap={4} c="dimmed" data-testid="runtime">
      {desktop ? <IconDeviceDesktop size={14} /> : <IconWorld size={14} />}
      <Text size="xs">{desktop ? `Desktop ${info?.version ?? ''}`.trim() : 'Browser'}</Text>
    </Group>
  );
}

export function App({ desktop }: { desktop: DesktopApi | null }) {
  const hub = useHubStatus(hubUrlOf(window.location));
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    desktop?.getAppInfo().then(setInfo, () => setInfo(null));
  }, [desktop]);

  return (
    <AppShell header={{ height: 44 }} navbar={{ width: 200, breakpoint: 0 }} padding="md">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between">
          <Group gap={8}>
            <IconClockHour4 size={20} color="var(--mantine-color-teal-6)" />
            <Text fw={700} size="md">
              Replydesk
            </Text>
          </Group>
          <Group gap="md">
            <HubBadge status={hub} />
            <RuntimeBadge info={info} desktop={desktop !== null} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p={6}>
        <NavLink
          active
          label="Reply windows"
          leftSection={<IconClockHour4 size={16} />}
          variant="light"
        />
      </AppShell.Navbar>
      <AppShell.Main>
        <ReplyWindowsPage />
      </AppShell.Main>
    </AppShell>
  );
}

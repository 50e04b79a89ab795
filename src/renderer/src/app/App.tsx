import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { AppShell, Badge, Button, Group, NavLink, Text, Tooltip } from '@mantine/core';
import {
  IconClockHour4,
  IconDeviceDesktop,
  IconInbox,
  IconLogout,
  IconWorld,
} from '@tabler/icons-react';
import type { AppInfo, DesktopApi } from '../../../shared/ipc/contract';
import { DataProvider, useDataLayer } from '../data/hooks';
import type { DataLayer } from '../data/data-layer';
import type { Me } from '../data/types';
import { ReplyWindowsPage } from '../features/reply-windows/ReplyWindowsPage';
import { sessionStoreFor, type Session } from '../features/session/session';
import {
  HubUnreachableNotice,
  NoHubNotice,
  SessionStarting,
} from '../features/session/SessionNotices';
import { SignInPage } from '../features/session/SignInPage';
import { useSession, type SessionControls } from '../features/session/useSession';
import { AgentWorkspace } from '../features/workspace/AgentWorkspace';
import { SyncStatusBadge } from '../features/workspace/SyncStatusBadge';
import { hubUrlOf, useHubStatus, type HubStatus } from './useHubStatus';

const HEADER_HEIGHT = 44;
const NAVBAR_WIDTH = 52;

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

function SignedInUser({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  if (session.embedded) {
    // The embedded hub signs its local admin in by itself: there is no password to return to.
    return (
      <Tooltip label="Signed in by the hub on this computer">
        <Text size="xs" c="dimmed" data-testid="signed-in-user">
          {session.user.name}
        </Text>
      </Tooltip>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="xs" c="dimmed" data-testid="signed-in-user">
        {session.user.name}
      </Text>
      <Button
        variant="subtle"
        color="gray"
        size="compact-xs"
        leftSection={<IconLogout size={14} />}
        onClick={onSignOut}
      >
        Sign out
      </Button>
    </Group>
  );
}

// The page lives in the URL's fragment, so reloads, links and Back keep it without a router.
// `#/inbox/<conversation id>` is the inbox with that conversation open.
const PAGES = { inbox: '#/inbox', 'reply-windows': '#/reply-windows' } as const;
type Page = keyof typeof PAGES;

function subscribeToHash(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function usePage(): Page {
  const hash = useSyncExternalStore(subscribeToHash, () => window.location.hash);
  return hash === PAGES['reply-windows'] ? 'reply-windows' : 'inbox';
}

/** The workspace when signed in; otherwise whatever stands between the agent and it. */
function InboxGate({
  session,
  layer,
  me,
  desktop,
}: {
  session: SessionControls;
  layer: DataLayer | null;
  me: Me | null;
  desktop: DesktopApi | null;
}) {
  const { state } = session;
  switch (state.kind) {
    case 'no_hub':
      return <NoHubNotice />;
    case 'starting':
      return <SessionStarting hubUrl={state.hubUrl} />;
    case 'unreachable':
      return (
        <HubUnreachableNotice
          message={state.message}
          onRetry={session.retry}
          onChangeHub={session.canChangeHub ? session.changeHub : undefined}
        />
      );
    case 'signed_out':
      return (
        <SignInPage
          key={state.hubUrl ?? 'none'}
          hubUrl={state.hubUrl}
          notice={state.notice}
          onSignIn={session.signIn}
          onChooseHub={session.canChangeHub ? session.chooseHub : undefined}
          storageNotice={session.storageNotice}
        />
      );
    case 'signed_in':
      return layer && me ? (
        <DataProvider layer={layer}>
          <AgentWorkspace
            me={me}
            desktop={desktop}
            onSignOut={state.session.embedded ? undefined : session.signOut}
          />
        </DataProvider>
      ) : null;
  }
}

export function App({ desktop }: { desktop: DesktopApi | null }) {
  const [store] = useState(() => sessionStoreFor(desktop));
  const page = usePage();
  const session = useSession(hubUrlOf(window.location), store, page === 'inbox');
  const signedIn = session.state.kind === 'signed_in' ? session.state.session : null;
  const me = useMemo<Me | null>(
    () =>
      signedIn
        ? {
            id: signedIn.user.id,
            name: signedIn.user.name,
            role: signedIn.user.role,
            email: signedIn.user.email,
          }
        : null,
    [signedIn],
  );
  const layer = useDataLayer(session.hubUrl, signedIn?.token ?? null, me, session.expire);
  // Signed in, the data layer says whether the hub is there; until then, poll its health.
  const hub = useHubStatus(layer ? null : session.hubUrl);
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    desktop?.getAppInfo().then(setInfo, () => setInfo(null));
  }, [desktop]);
  const workspace = page === 'inbox' && layer !== null;

  return (
    <AppShell
      header={{ height: HEADER_HEIGHT }}
      navbar={{ width: NAVBAR_WIDTH, breakpoint: 0 }}
      padding={workspace ? 0 : 'md'}
    >
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap={8}>
            <IconClockHour4 size={20} color="var(--mantine-color-teal-6)" />
            <Text fw={700} size="md">
              Replydesk
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            {layer ? (
              <DataProvider layer={layer}>
                <SyncStatusBadge />
              </DataProvider>
            ) : (
              <HubBadge status={hub} />
            )}
            {signedIn && <SignedInUser session={signedIn} onSignOut={session.signOut} />}
            <RuntimeBadge info={info} desktop={desktop !== null} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p={6}>
        {(
          [
            ['inbox', 'Inbox', IconInbox],
            ['reply-windows', 'Reply windows', IconClockHour4],
          ] as const
        ).map(([key, label, Icon]) => (
          <Tooltip key={key} label={label} position="right">
            <NavLink
              component="a"
              href={PAGES[key]}
              active={page === key}
              aria-current={page === key ? 'page' : undefined}
              aria-label={label}
              leftSection={<Icon size={20} />}
              variant="light"
              px={10}
              style={{ borderRadius: 'var(--mantine-radius-sm)' }}
            />
          </Tooltip>
        ))}
      </AppShell.Navbar>
      <AppShell.Main
        style={
          workspace ? { height: '100dvh', display: 'flex', flexDirection: 'column' } : undefined
        }
      >
        {page === 'inbox' ? (
          <InboxGate session={session} layer={layer} me={me} desktop={desktop} />
        ) : (
          <ReplyWindowsPage />
        )}
      </AppShell.Main>
    </AppShell>
  );
}

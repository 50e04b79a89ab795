import { useEffect, useState, useSyncExternalStore } from 'react';
import { AppShell, Badge, Button, Group, NavLink, Text, Tooltip } from '@mantine/core';
import {
  IconClockHour4,
  IconDeviceDesktop,
  IconInbox,
  IconLogout,
  IconWorld,
} from '@tabler/icons-react';
import type { AppInfo, DesktopApi } from '../../../shared/ipc/contract';
import { LiveConnectionBadge } from '../features/inbox/ConnectionBadge';
import type { HubClient } from '../features/inbox/hub-client';
import { InboxPage } from '../features/inbox/InboxPage';
import { useHubClient, useHubConnection } from '../features/inbox/useHubClient';
import { ReplyWindowsPage } from '../features/reply-windows/ReplyWindowsPage';
import { browserSessionStorage, type Session } from '../features/session/session';
import {
  HubUnreachableNotice,
  NoHubNotice,
  SessionStarting,
} from '../features/session/SessionNotices';
import { SignInPage } from '../features/session/SignInPage';
import { useSession, type SessionControls } from '../features/session/useSession';
import { hubUrlOf, useHubStatus, type HubStatus } from './useHubStatus';

const HEADER_HEIGHT = 44;

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

/** The inbox when signed in; otherwise whatever stands between the agent and it. */
function InboxGate({
  hubUrl,
  session,
  client,
}: {
  hubUrl: string | null;
  session: SessionControls;
  client: HubClient | null;
}) {
  const { state } = session;
  switch (state.kind) {
    case 'no_hub':
      return <NoHubNotice />;
    case 'starting':
      return <SessionStarting />;
    case 'unreachable':
      return <HubUnreachableNotice message={state.message} onRetry={session.retry} />;
    case 'signed_out':
      return hubUrl ? (
        <SignInPage hubUrl={hubUrl} notice={state.notice} onSignIn={session.signIn} />
      ) : (
        <NoHubNotice />
      );
    case 'signed_in':
      return client ? <InboxPage client={client} stickyOffset={HEADER_HEIGHT} /> : null;
  }
}

export function App({ desktop }: { desktop: DesktopApi | null }) {
  const hubUrl = hubUrlOf(window.location);
  const [storage] = useState(browserSessionStorage);
  const page = usePage();
  const session = useSession(hubUrl, storage, page === 'inbox');
  const signedIn = session.state.kind === 'signed_in' ? session.state.session : null;
  const client = useHubClient(hubUrl, signedIn?.token ?? null, session.expire);
  const connection = useHubConnection(client);
  // Signed in, the realtime connection says whether the hub is there; until then, poll health.
  const hub = useHubStatus(client ? null : hubUrl);
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    desktop?.getAppInfo().then(setInfo, () => setInfo(null));
  }, [desktop]);

  return (
    <AppShell
      header={{ height: HEADER_HEIGHT }}
      navbar={{ width: 200, breakpoint: 0 }}
      padding="md"
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
            {connection ? (
              <LiveConnectionBadge connection={connection} />
            ) : (
              <HubBadge status={hub} />
            )}
            {signedIn && <SignedInUser session={signedIn} onSignOut={session.signOut} />}
            <RuntimeBadge info={info} desktop={desktop !== null} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p={6}>
        <NavLink
          component="a"
          href={PAGES.inbox}
          active={page === 'inbox'}
          aria-current={page === 'inbox' ? 'page' : undefined}
          label="Inbox"
          leftSection={<IconInbox size={16} />}
          variant="light"
        />
        <NavLink
          component="a"
          href={PAGES['reply-windows']}
          active={page === 'reply-windows'}
          aria-current={page === 'reply-windows' ? 'page' : undefined}
          label="Reply windows"
          leftSection={<IconClockHour4 size={16} />}
          variant="light"
        />
      </AppShell.Navbar>
      <AppShell.Main>
        {page === 'inbox' ? (
          <InboxGate hubUrl={hubUrl} session={session} client={client} />
        ) : (
          <ReplyWindowsPage />
        )}
      </AppShell.Main>
    </AppShell>
  );
}

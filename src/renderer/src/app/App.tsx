import { lazy, Suspense, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import {
  Alert,
  Anchor,
  AppShell,
  Badge,
  Box,
  Button,
  Center,
  Group,
  Loader,
  NavLink,
  Text,
  Tooltip,
} from '@mantine/core';
import {
  IconChartBar,
  IconClockHour4,
  IconDeviceDesktop,
  IconInbox,
  IconLock,
  IconLogout,
  IconPackage,
  IconShieldCheck,
  IconPlugConnected,
  IconTargetArrow,
  IconMoodSmile,
  IconTemplate,
  IconUsers,
  IconWorld,
} from '@tabler/icons-react';
import type { AppInfo, DesktopApi } from '../../../shared/ipc/contract';
import { DataProvider, useDataLayer } from '../data/hooks';
import type { DataLayer } from '../data/data-layer';
import type { Me } from '../data/types';
import { sessionStoreFor, type Session } from '../features/session/session';
import {
  HubUnreachableNotice,
  NoHubNotice,
  SessionStarting,
} from '../features/session/SessionNotices';
import { SignInPage } from '../features/session/SignInPage';
import { HubLinkConfirm } from '../features/session/HubLinkConfirm';
import { UpdateReadyButton } from '../features/settings/UpdateReadyButton';
import { PopOutConversation } from '../features/workspace/PopOutConversation';
import { conversationOfPopOutHash } from '../../../shared/desktop/pop-out';
import { useDesktopLinks } from './useDesktopLinks';
import { useSession, type SessionControls } from '../features/session/useSession';
import { AgentWorkspace } from '../features/workspace/AgentWorkspace';
import { DesktopWatch } from '../features/workspace/DesktopWatch';
import { mayUse, pageOfHash, pagesFor, PAGES, type Page } from './pages';
import { AvailabilityMenu } from '../features/workspace/AvailabilityMenu';
import { SyncStatusBadge } from '../features/workspace/SyncStatusBadge';
import { hubBadgeView, hubToPoll, hubUrlOf, useHubStatus, type HubBadgeView } from './useHubStatus';

// Pages other than the inbox load when first opened: the inbox, where agents start, parses and
// runs without the code of the charts and the admin screens.
const ReplyWindowsPage = lazy(() =>
  import('../features/reply-windows/ReplyWindowsPage').then((m) => ({
    default: m.ReplyWindowsPage,
  })),
);
const ChannelsPage = lazy(() =>
  import('../features/admin/channels/ChannelsPage').then((m) => ({ default: m.ChannelsPage })),
);
const ShopsPage = lazy(() =>
  import('../features/admin/shops/ShopsPage').then((m) => ({ default: m.ShopsPage })),
);
const AuditLogPage = lazy(() =>
  import('../features/admin/audit/AuditLogPage').then((m) => ({ default: m.AuditLogPage })),
);
const CsatSettingsPage = lazy(() =>
  import('../features/admin/csat/CsatSettingsPage').then((m) => ({
    default: m.CsatSettingsPage,
  })),
);
const SlaPoliciesPage = lazy(() =>
  import('../features/admin/sla/SlaPoliciesPage').then((m) => ({ default: m.SlaPoliciesPage })),
);
const TemplatesPage = lazy(() =>
  import('../features/admin/templates/TemplatesPage').then((m) => ({ default: m.TemplatesPage })),
);
const UsersPage = lazy(() =>
  import('../features/admin/users/UsersPage').then((m) => ({ default: m.UsersPage })),
);
const DashboardPage = lazy(() =>
  import('../features/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })),
);

function PageLoading() {
  return (
    <Center h={200} data-testid="page-loading">
      <Loader size="sm" color="gray" />
    </Center>
  );
}

const HEADER_HEIGHT = 44;
const NAVBAR_WIDTH = 52;

/** The hub badge while no data layer reports on the hub; it says what the page says. */
function HubBadge({ view }: { view: HubBadgeView }) {
  switch (view.kind) {
    case 'hidden':
      return null;
    case 'checking':
      return (
        <Badge variant="light" color="gray" size="sm" data-testid="hub-status">
          Checking hub…
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
        <Tooltip label={view.detail} multiline maw={320}>
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

function subscribeToHash(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function useHash(): string {
  return useSyncExternalStore(subscribeToHash, () => window.location.hash);
}

const PAGE_ICONS: Record<Page, typeof IconInbox> = {
  inbox: IconInbox,
  dashboard: IconChartBar,
  templates: IconTemplate,
  sla: IconTargetArrow,
  csat: IconMoodSmile,
  users: IconUsers,
  channels: IconPlugConnected,
  orders: IconPackage,
  audit: IconShieldCheck,
  'reply-windows': IconClockHour4,
};

/** A page the signed-in role may not use, reached by its address. */
function NotForYourRole({ page }: { page: Page }) {
  return (
    <Alert
      color="gray"
      variant="light"
      icon={<IconLock size={18} />}
      title={`${PAGES[page].label} is not available to you`}
      maw={560}
      data-testid="not-for-role"
    >
      Your role does not include this page. Ask an admin if you need it.{' '}
      <Anchor href={PAGES.inbox.hash}>Back to the inbox</Anchor>
    </Alert>
  );
}

function SignedInPage({ page, me }: { page: Page; me: Me }) {
  if (!mayUse(me.role, page)) return <NotForYourRole page={page} />;
  switch (page) {
    case 'dashboard':
      return <DashboardPage me={me} />;
    case 'templates':
      return <TemplatesPage me={me} />;
    case 'sla':
      return <SlaPoliciesPage me={me} />;
    case 'csat':
      return <CsatSettingsPage me={me} />;
    case 'users':
      return <UsersPage me={me} />;
    case 'channels':
      return <ChannelsPage me={me} />;
    case 'orders':
      return <ShopsPage me={me} />;
    case 'audit':
      return <AuditLogPage me={me} />;
    case 'inbox':
    case 'reply-windows':
      return null;
  }
}

/** The page when signed in; otherwise whatever stands between the user and it. */
function SessionGate({
  page,
  session,
  layer,
  me,
  desktop,
}: {
  page: Page;
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
          onAcceptCode={session.acceptCode}
          onChooseHub={session.canChangeHub ? session.chooseHub : undefined}
          storageNotice={session.storageNotice}
        />
      );
    case 'signed_in':
      return layer && me ? (
        <DataProvider layer={layer}>
          {page === 'inbox' ? (
            <AgentWorkspace
              me={me}
              desktop={desktop}
              onSignOut={state.session.embedded ? undefined : session.signOut}
            />
          ) : (
            <Suspense fallback={<PageLoading />}>
              <SignedInPage page={page} me={me} />
            </Suspense>
          )}
        </DataProvider>
      ) : null;
  }
}

export function App({ desktop }: { desktop: DesktopApi | null }) {
  const [store] = useState(() => sessionStoreFor(desktop));
  const hash = useHash();
  const page = pageOfHash(hash);
  // A pop-out window (`#/popout/<id>`): one conversation alone, no navigation.
  const popOutId = conversationOfPopOutHash(hash);
  // Every page but Reply windows shows the session's state (SessionGate).
  const sessionShown = page !== 'reply-windows';
  const session = useSession(hubUrlOf(window.location), store, sessionShown);
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
  // Signed in, the data layer says whether the hub is there; until then the page does, and the
  // health poll only where the page says nothing about it (one source of truth per state).
  const polled = useHubStatus(hubToPoll(session.state, sessionShown, layer !== null));
  const hubBadge = hubBadgeView(session.state, sessionShown, polled);
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    desktop?.getAppInfo().then(setInfo, () => setInfo(null));
  }, [desktop]);
  const workspace = page === 'inbox' && layer !== null;
  const { hubLink, dismissHubLink } = useDesktopLinks(desktop, popOutId === null);
  const switchToLinkedHub = async (hubUrl: string): Promise<string | null> => {
    if (signedIn && session.hubUrl === hubUrl) {
      dismissHubLink();
      return null;
    }
    if (signedIn) session.signOut();
    const refused = await session.chooseHub(hubUrl);
    if (refused === null) dismissHubLink();
    return refused;
  };

  if (popOutId !== null) {
    return signedIn && layer && me ? (
      <DataProvider layer={layer}>
        <PopOutConversation conversationId={popOutId} me={me} desktop={desktop} />
      </DataProvider>
    ) : (
      <Box p="md">
        <SessionGate page="inbox" session={session} layer={null} me={null} desktop={desktop} />
      </Box>
    );
  }

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
                {signedIn && !signedIn.embedded && <AvailabilityMenu desktop={desktop} />}
              </DataProvider>
            ) : (
              <HubBadge view={hubBadge} />
            )}
            {signedIn && <SignedInUser session={signedIn} onSignOut={session.signOut} />}
            <UpdateReadyButton desktop={desktop} />
            <RuntimeBadge info={info} desktop={desktop !== null} />
          </Group>
        </Group>
      </AppShell.Header>
      {layer && me && (
        // Beside whichever page is shown: alerts, notifications and the badge go on everywhere.
        <DataProvider layer={layer}>
          <DesktopWatch me={me} desktop={desktop} page={page} hash={hash} />
        </DataProvider>
      )}
      <AppShell.Navbar p={6}>
        {(me ? pagesFor(me.role) : (['inbox', 'reply-windows'] as const)).map((key) => {
          const { label, hash } = PAGES[key];
          const Icon = PAGE_ICONS[key];
          return (
            <Tooltip key={key} label={label} position="right">
              <NavLink
                component="a"
                href={hash}
                active={page === key}
                aria-current={page === key ? 'page' : undefined}
                aria-label={label}
                leftSection={<Icon size={20} />}
                variant="light"
                px={10}
                style={{ borderRadius: 'var(--mantine-radius-sm)' }}
              />
            </Tooltip>
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main
        style={
          workspace ? { height: '100dvh', display: 'flex', flexDirection: 'column' } : undefined
        }
      >
        {page === 'reply-windows' ? (
          <Suspense fallback={<PageLoading />}>
            <ReplyWindowsPage />
          </Suspense>
        ) : (
          <SessionGate page={page} session={session} layer={layer} me={me} desktop={desktop} />
        )}
      </AppShell.Main>
      {hubLink !== null && (
        <HubLinkConfirm
          hubUrl={hubLink}
          currentHubUrl={session.hubUrl}
          signedIn={signedIn !== null}
          onConfirm={() => switchToLinkedHub(hubLink)}
          onCancel={dismissHubLink}
        />
      )}
    </AppShell>
  );
}

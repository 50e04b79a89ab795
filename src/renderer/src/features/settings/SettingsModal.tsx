import { useState, type ReactNode } from 'react';
import {
  Button,
  Center,
  Divider,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Stack,
  Switch,
  Text,
} from '@mantine/core';
import { IconCheck, IconDeviceDesktop, IconMoon, IconRefresh, IconSun } from '@tabler/icons-react';
import type { DesktopApi } from '../../../../shared/ipc/contract';
import { keyText } from '../shortcuts/platform';
import { DesktopSection } from './DesktopSection';
import { ConfirmAlert, Section, Setting } from './Setting';
import { MediaCacheSection } from './MediaCacheSection';
import {
  DEFAULT_PREFERENCES,
  MAX_CLOSING_ALERT_MINUTES,
  MIN_CLOSING_ALERT_MINUTES,
  preferencesStore,
  usePreferences,
  type ColorSchemePreference,
  type PreferencesStore,
  type SendKey,
} from './preferences';

export interface SettingsModalProps {
  readonly opened: boolean;
  readonly onClose: () => void;
  /** Drop the local cache and rebuild it from the hub; the outbox is kept. */
  readonly onResetLocalData: () => Promise<void>;
  /** The desktop app's API (null in a browser): system notifications, the Desktop app section. */
  readonly desktop: DesktopApi | null;
  /** Replies waiting in the outbox, to say they survive the reset. */
  readonly outboxSize?: number;
  readonly store?: PreferencesStore;
}

function SchemeLabel({ icon, label }: { icon: ReactNode; label: string }) {
  return (
    <Center style={{ gap: 6 }}>
      {icon}
      <span>{label}</span>
    </Center>
  );
}

type ResetState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'confirming' }
  | { readonly kind: 'resetting' }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly message: string };

function ResetLocalData({
  onReset,
  outboxSize,
}: {
  onReset: () => Promise<void>;
  outboxSize?: number;
}) {
  const [state, setState] = useState<ResetState>({ kind: 'idle' });
  const unsent =
    outboxSize === undefined || outboxSize === 0
      ? 'Unsent replies are kept and sent as usual.'
      : `Your ${outboxSize} unsent ${outboxSize === 1 ? 'reply is' : 'replies are'} kept and sent as usual.`;

  const reset = () => {
    setState({ kind: 'resetting' });
    onReset().then(
      () => setState({ kind: 'done' }),
      (error: unknown) =>
        setState({
          kind: 'failed',
          message: error instanceof Error && error.message ? error.message : 'The reset failed.',
        }),
    );
  };

  if (state.kind === 'confirming' || state.kind === 'resetting') {
    return (
      <ConfirmAlert
        title="Rebuild the local cache?"
        confirmLabel="Reset and rebuild"
        busy={state.kind === 'resetting'}
        onCancel={() => setState({ kind: 'idle' })}
        onConfirm={reset}
        testId="reset-confirm"
      >
        Conversations, messages and templates stored on this computer are deleted and downloaded
        again from the hub. {unsent} This can take a minute in a large workspace.
      </ConfirmAlert>
    );
  }

  return (
    <Stack gap={6}>
      <Setting
        label="Reset local data"
        description={`Rebuilds this computer's cache from the hub. ${unsent}`}
      >
        <Button
          size="xs"
          variant="light"
          color="red"
          leftSection={<IconRefresh size={14} />}
          onClick={() => setState({ kind: 'confirming' })}
          data-testid="reset-local-data"
        >
          Reset…
        </Button>
      </Setting>
      {state.kind === 'done' && (
        <Group gap={6} c="teal">
          <IconCheck size={14} />
          <Text size="xs">Local data cleared; rebuilding from the hub.</Text>
        </Group>
      )}
      {state.kind === 'failed' && (
        <Text size="xs" c="red" role="alert">
          {state.message}
        </Text>
      )}
    </Stack>
  );
}

/**
 * The app's settings: how Enter behaves in the composer, whether paid templates ask first, when
 * a closing window alerts, desktop notifications, light or dark, and the "reset local data"
 * escape hatch. Changes apply at once (no Save button) and reach every window of the app.
 */
export function SettingsModal({
  opened,
  onClose,
  onResetLocalData,
  desktop,
  outboxSize,
  store = preferencesStore,
}: SettingsModalProps) {
  const desktopAvailable = desktop !== null;
  const { preferences, update } = usePreferences(store);
  // The field as typed; the preference changes when it holds a valid number of minutes.
  const [minutes, setMinutes] = useState<string | number>(preferences.closingAlertMinutes);
  const [syncedMinutes, setSyncedMinutes] = useState(preferences.closingAlertMinutes);
  if (syncedMinutes !== preferences.closingAlertMinutes) {
    // Changed elsewhere (another window): show the new value.
    setSyncedMinutes(preferences.closingAlertMinutes);
    setMinutes(preferences.closingAlertMinutes);
  }

  const modEnter = keyText('mod+Enter');
  const sendDescription =
    preferences.sendKey === 'enter'
      ? 'Enter sends; Shift+Enter starts a new line.'
      : `${modEnter} sends; Enter starts a new line.`;

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={
        <Text fw={600} size="md">
          Settings
        </Text>
      }
      size={560}
      radius="md"
      data-testid="settings-modal"
    >
      <Stack gap="lg">
        <Section title="Replies">
          <Setting label="Send with" description={sendDescription}>
            <SegmentedControl
              size="xs"
              value={preferences.sendKey}
              onChange={(value) => update({ sendKey: value as SendKey })}
              data={[
                { value: 'enter', label: 'Enter' },
                { value: 'mod-enter', label: modEnter },
              ]}
              data-testid="setting-send-key"
            />
          </Setting>
          <Setting
            label="Confirm paid templates"
            htmlFor="setting-confirm-paid-templates"
            description="Ask, showing the price, before sending a WhatsApp template that costs money."
          >
            <Switch
              id="setting-confirm-paid-templates"
              size="sm"
              checked={preferences.confirmPaidTemplates}
              onChange={(event) => update({ confirmPaidTemplates: event.currentTarget.checked })}
              data-testid="setting-confirm-paid-templates"
            />
          </Setting>
        </Section>

        <Divider />

        <Section title="Notifications">
          <Setting
            label="Alert before a window closes"
            htmlFor="setting-closing-alert"
            description="For conversations assigned to you. The inbox marks a window as closing an hour ahead."
          >
            <NumberInput
              id="setting-closing-alert"
              size="xs"
              w={96}
              min={MIN_CLOSING_ALERT_MINUTES}
              max={MAX_CLOSING_ALERT_MINUTES}
              allowDecimal={false}
              allowNegative={false}
              clampBehavior="blur"
              suffix=" min"
              value={minutes}
              onChange={(value) => {
                setMinutes(value);
                if (
                  typeof value === 'number' &&
                  Number.isInteger(value) &&
                  value >= MIN_CLOSING_ALERT_MINUTES &&
                  value <= MAX_CLOSING_ALERT_MINUTES
                ) {
                  update({ closingAlertMinutes: value });
                }
              }}
              onBlur={() => {
                if (typeof minutes !== 'number') setMinutes(preferences.closingAlertMinutes);
              }}
              placeholder={String(DEFAULT_PREFERENCES.closingAlertMinutes)}
              data-testid="setting-closing-alert"
            />
          </Setting>
          <Setting
            label="Desktop notifications"
            htmlFor="setting-desktop-notifications"
            description={
              desktopAvailable
                ? 'Also notify through the system while Replydesk is in the background.'
                : 'Available in the Replydesk desktop app. In-app alerts always show.'
            }
          >
            <Switch
              id="setting-desktop-notifications"
              size="sm"
              checked={desktopAvailable && preferences.desktopNotifications}
              disabled={!desktopAvailable}
              onChange={(event) => update({ desktopNotifications: event.currentTarget.checked })}
              data-testid="setting-desktop-notifications"
            />
          </Setting>
        </Section>

        <Divider />

        <Section title="Appearance">
          <Setting label="Theme" description="Auto follows your system's light or dark mode.">
            <SegmentedControl
              size="xs"
              value={preferences.colorScheme}
              onChange={(value) => update({ colorScheme: value as ColorSchemePreference })}
              data={[
                {
                  value: 'auto',
                  label: <SchemeLabel icon={<IconDeviceDesktop size={14} />} label="Auto" />,
                },
                {
                  value: 'light',
                  label: <SchemeLabel icon={<IconSun size={14} />} label="Light" />,
                },
                {
                  value: 'dark',
                  label: <SchemeLabel icon={<IconMoon size={14} />} label="Dark" />,
                },
              ]}
              data-testid="setting-color-scheme"
            />
          </Setting>
        </Section>

        <Divider />

        <Section title="Desktop app">
          {desktop ? (
            <DesktopSection desktop={desktop} />
          ) : (
            <Text size="xs" c="dimmed" data-testid="desktop-settings-absent">
              The tray, start at login, spellcheck languages and automatic updates are settings of
              the Replydesk desktop app; this browser has none of them.
            </Text>
          )}
        </Section>

        <Divider />

        <Section title="Local data">
          <MediaCacheSection />
          <ResetLocalData onReset={onResetLocalData} outboxSize={outboxSize} />
        </Section>
      </Stack>
    </Modal>
  );
}

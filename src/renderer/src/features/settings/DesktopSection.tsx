import { useEffect, useState } from 'react';
import { Button, MultiSelect, SegmentedControl, Stack, Switch, Text } from '@mantine/core';
import { IconFolderOpen, IconRefresh, IconSearch, IconTrash } from '@tabler/icons-react';
import type { DesktopApi } from '../../../../shared/ipc/contract';
import {
  MAX_SPELLCHECK_LANGUAGES,
  type DesktopSettings,
  type DesktopSettingsState,
  type UpdateChannel,
} from '../../../../shared/desktop/settings';
import { ConfirmAlert, Setting } from './Setting';
import { updateStatusText, useUpdateStatus } from './useUpdateStatus';

/**
 * Settings of the desktop app itself (issue #21): kept by the main process, which needs them
 * before any page loads, so read and written through the desktop API rather than the page's
 * preferences. Shown only in the desktop app; each control only where this system supports it.
 */
export interface DesktopSectionProps {
  readonly desktop: DesktopApi;
}

function languageName(tag: string): string {
  try {
    const name = new Intl.DisplayNames([navigator.language], { type: 'language' }).of(tag);
    return name && name !== tag ? `${name} (${tag})` : tag;
  } catch {
    return tag;
  }
}

/** "Reset local data", the desktop kind: everything on this computer, credentials included. */
function ResetEverything({ desktop }: { desktop: DesktopApi }) {
  const [state, setState] = useState<'idle' | 'confirming' | 'resetting'>('idle');
  const [error, setError] = useState<string | null>(null);
  const reset = () => {
    setState('resetting');
    setError(null);
    desktop.resetLocalData().then(
      ({ restarting }) => {
        if (!restarting) {
          setState('idle');
          setError('Replydesk could not restart; quit and open it again.');
        }
      },
      (failure: unknown) => {
        setState('idle');
        setError(failure instanceof Error ? failure.message : 'The reset failed.');
      },
    );
  };
  if (state !== 'idle') {
    return (
      <ConfirmAlert
        title="Erase everything Replydesk keeps on this computer?"
        confirmLabel="Erase and restart"
        busy={state === 'resetting'}
        onCancel={() => setState('idle')}
        onConfirm={reset}
        testId="desktop-reset-confirm"
      >
        The cache, stored conversations, unsent replies and drafts, and your sign-in are deleted,
        then Replydesk restarts. Your team hub keeps everything it has.
      </ConfirmAlert>
    );
  }
  return (
    <Stack gap={6}>
      <Setting
        label="Erase this computer's data"
        description="Cache, stored conversations and your sign-in, for a clean start."
      >
        <Button
          size="xs"
          variant="light"
          color="red"
          leftSection={<IconTrash size={14} />}
          onClick={() => setState('confirming')}
          data-testid="desktop-reset"
        >
          Erase…
        </Button>
      </Setting>
      {error && (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

const message = (failure: unknown): string =>
  failure instanceof Error ? failure.message : String(failure);

/** "Show crash reports": the folder main writes them to; they never leave this computer. */
function CrashReports({ desktop }: { desktop: DesktopApi }) {
  const [note, setNote] = useState<string | null>(null);
  const open = () => {
    setNote(null);
    desktop.openCrashReports().then(
      ({ opened, reason }) =>
        setNote(opened ? null : (reason ?? 'The folder could not be opened.')),
      (failure: unknown) => setNote(message(failure)),
    );
  };
  return (
    <Stack gap={4}>
      <Setting
        label="Crash reports"
        description="Written on this computer only, never uploaded; support may ask you for them."
      >
        <Button
          size="xs"
          variant="default"
          leftSection={<IconFolderOpen size={14} />}
          onClick={open}
          data-testid="open-crash-reports"
        >
          Show folder
        </Button>
      </Setting>
      {note && (
        <Text size="xs" c="red" role="alert">
          {note}
        </Text>
      )}
    </Stack>
  );
}

export function DesktopSection({ desktop }: DesktopSectionProps) {
  const [state, setState] = useState<DesktopSettingsState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updateNote, setUpdateNote] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [heard, setHeard] = useUpdateStatus(desktop);

  useEffect(() => {
    let live = true;
    desktop.getDesktopSettings().then(
      (loaded) => live && setState(loaded),
      (failure: unknown) => live && setError(message(failure)),
    );
    return () => {
      live = false;
    };
  }, [desktop]);

  const change = (patch: Partial<DesktopSettings>) => {
    if (state === null) return;
    setError(null);
    // Shown at once; main's answer (what it really kept) replaces it.
    setState({ ...state, settings: { ...state.settings, ...patch } });
    desktop.setDesktopSettings(patch).then(setState, (failure: unknown) => {
      setError(`Not saved: ${message(failure)}`);
      setState(state);
    });
  };

  const check = () => {
    setUpdateNote(null);
    setChecking(true);
    desktop.checkForUpdates().then(
      (status) => {
        setChecking(false);
        setHeard(status);
      },
      (failure: unknown) => {
        setChecking(false);
        setUpdateNote(message(failure));
      },
    );
  };

  const restart = () => {
    setUpdateNote(null);
    desktop.restartToUpdate().then(
      ({ restarting, reason }) => setUpdateNote(restarting ? null : (reason ?? null)),
      (failure: unknown) => setUpdateNote(message(failure)),
    );
  };

  if (state === null) {
    return error ? (
      <Text size="xs" c="red" role="alert">
        The desktop settings could not be read: {error}
      </Text>
    ) : (
      <Text size="xs" c="dimmed">
        Reading the desktop settings…
      </Text>
    );
  }
  const { settings, supported } = state;
  const update = heard ?? state.update;
  return (
    <Stack gap="sm" data-testid="desktop-settings">
      {supported.closeToTray && (
        <Setting
          label="Keep running in the tray"
          htmlFor="setting-close-to-tray"
          description="Closing the window leaves Replydesk in the tray, still notifying you."
        >
          <Switch
            id="setting-close-to-tray"
            size="sm"
            checked={settings.closeToTray}
            onChange={(event) => change({ closeToTray: event.currentTarget.checked })}
            data-testid="setting-close-to-tray"
          />
        </Setting>
      )}
      {supported.startAtLogin && (
        <Setting
          label="Start at login"
          htmlFor="setting-start-at-login"
          description="Open Replydesk when you sign in to this computer."
        >
          <Switch
            id="setting-start-at-login"
            size="sm"
            checked={settings.startAtLogin}
            onChange={(event) => change({ startAtLogin: event.currentTarget.checked })}
            data-testid="setting-start-at-login"
          />
        </Setting>
      )}
      {supported.spellcheckLanguages.length > 0 ? (
        <Stack gap={4}>
          <Text size="sm" fw={500} component="label" htmlFor="setting-spellcheck">
            Spellcheck languages
          </Text>
          <MultiSelect
            id="setting-spellcheck"
            size="xs"
            searchable
            clearable
            maxValues={MAX_SPELLCHECK_LANGUAGES}
            placeholder={settings.spellcheckLanguages.length === 0 ? "The system's languages" : ''}
            data={supported.spellcheckLanguages.map((tag) => ({
              value: tag,
              label: languageName(tag),
            }))}
            value={settings.spellcheckLanguages}
            onChange={(languages) => change({ spellcheckLanguages: languages })}
            comboboxProps={{ withinPortal: true }}
            data-testid="setting-spellcheck"
          />
          <Text size="xs" c="dimmed">
            Up to {MAX_SPELLCHECK_LANGUAGES}; right-click an underlined word for suggestions.
          </Text>
        </Stack>
      ) : (
        <Setting
          label="Spellcheck"
          description="Follows your system's languages; right-click an underlined word for suggestions."
        >
          {null}
        </Setting>
      )}
      <Setting
        label="Release channel"
        description="Beta gets new versions a week or two earlier, with more to report."
      >
        <SegmentedControl
          size="xs"
          value={settings.updateChannel}
          onChange={(value) => change({ updateChannel: value as UpdateChannel })}
          data={[
            { value: 'stable', label: 'Stable' },
            { value: 'beta', label: 'Beta' },
          ]}
          aria-label="Release channel"
          data-testid="setting-update-channel"
        />
      </Setting>
      <Setting
        label="Updates"
        description={
          <span data-testid="update-status" data-state={update.state}>
            {updateStatusText(update)}
          </span>
        }
      >
        {update.state === 'ready' ? (
          <Button
            size="xs"
            leftSection={<IconRefresh size={14} />}
            onClick={restart}
            data-testid="settings-restart-to-update"
          >
            Restart to update
          </Button>
        ) : (
          <Button
            size="xs"
            variant="default"
            leftSection={<IconSearch size={14} />}
            onClick={check}
            loading={checking}
            disabled={update.state === 'disabled'}
            data-testid="check-for-updates"
          >
            Check now
          </Button>
        )}
      </Setting>
      {updateNote && (
        <Text size="xs" c="orange" role="status" data-testid="update-note">
          {updateNote}
        </Text>
      )}
      {error && (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      )}
      <CrashReports desktop={desktop} />
      <ResetEverything desktop={desktop} />
    </Stack>
  );
}

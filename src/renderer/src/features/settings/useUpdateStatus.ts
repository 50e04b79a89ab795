import { useEffect, useState } from 'react';
import type { UpdateStatus } from '../../../../shared/desktop/settings';
import type { DesktopApi } from '../../../../shared/ipc/contract';

/**
 * The desktop updater's state (issue #21 item 5) as main last said it: read once, then followed
 * through `update:status`. `null` in a browser, or until main has answered. The setter takes
 * what a check answered (`checkForUpdates`).
 */
export function useUpdateStatus(
  desktop: DesktopApi | null,
): [UpdateStatus | null, (status: UpdateStatus) => void] {
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  useEffect(() => {
    if (!desktop) return;
    let live = true;
    let heard = false;
    const unsubscribe = desktop.onUpdateStatus((next) => {
      heard = true;
      if (live) setStatus(next);
    });
    desktop.getDesktopSettings().then(
      // An event that came meanwhile is newer than this answer.
      ({ update }) => live && !heard && setStatus(update),
      (error: unknown) => console.warn('Replydesk: could not read the update state', error),
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [desktop]);
  return [status, setStatus];
}

const UPDATE_TEXT: Readonly<Record<UpdateStatus['state'], string>> = {
  disabled: 'This build does not update itself; install new versions by hand.',
  idle: 'Replydesk is up to date.',
  checking: 'Checking for an update…',
  downloading: 'Downloading an update in the background…',
  ready: 'An update is ready: restart to use it.',
  error: 'The last check for updates failed; Replydesk tries again in a few hours.',
};

/** One sentence for the update state, with the version when main names it. */
export function updateStatusText(update: UpdateStatus): string {
  if (update.state === 'ready' && update.version) {
    return `Version ${update.version} is ready: restart to use it.`;
  }
  if (update.state === 'downloading' && update.version) {
    return `Downloading version ${update.version} in the background…`;
  }
  if (update.state === 'error' && update.message) {
    return `The last check failed (${update.message}); Replydesk tries again in a few hours.`;
  }
  return UPDATE_TEXT[update.state];
}

import type { MenuItemConstructorOptions, NativeImage } from 'electron';
import type { Availability } from '../shared/protocol/admin';
import { overlayIconPng, trayIconPng } from './icons';

/**
 * The tray / menu-bar icon (issue #21 item 1): the badge's figures (my conversations waiting for
 * my reply, and windows closing within the hour) in its tooltip and, on macOS, its title; a menu
 * to open the app, set availability, pause notifications for an hour and quit. On Windows the
 * taskbar button carries an overlay dot while something waits.
 */

export interface TrayFigures {
  /** My conversations waiting for my reply (the badge's number). */
  readonly waiting: number;
  /** Of those, windows closing within the hour. */
  readonly closingSoon: number;
}

/** Electron's own image type: the real `Tray` takes nothing else (the fake casts). */
export type NativeImageLike = NativeImage;

export interface TrayLike {
  setImage(image: NativeImageLike): void;
  setToolTip(toolTip: string): void;
  /** macOS: text beside the menu-bar icon. */
  setTitle(title: string): void;
  setContextMenu(menu: unknown): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

/** A built menu: the tray and the window take it as it is; a context menu pops it up. */
export interface MenuLike {
  popup(): void;
}

export interface TrayElectron {
  Tray: new (image: NativeImageLike) => TrayLike;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): MenuLike };
  nativeImage: { createFromBuffer(buffer: Buffer): NativeImageLike };
}

export interface TrayActions {
  open(): void;
  setAvailability(availability: Availability): void;
  quit(): void;
}

/** Notifications paused until then (epoch ms), or not: the tray's "Pause for 1 hour". */
export interface NotificationPause {
  pausedUntil(): number | null;
  pauseForAnHour(): void;
  resume(): void;
}

export const PAUSE_MS = 60 * 60 * 1000;

/** `setTimeout` in the app (unref'd: a pause never keeps the app alive); tests step it. */
export type Schedule = (run: () => void, ms: number) => { cancel(): void };

const realSchedule: Schedule = (run, ms) => {
  const timer = setTimeout(run, ms);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};

export function createNotificationPause(
  now: () => number,
  onChange: () => void = () => undefined,
  schedule: Schedule = realSchedule,
): NotificationPause & { isPaused(): boolean } {
  let until: number | null = null;
  let end: { cancel(): void } | null = null;
  const pausedUntil = (): number | null => (until !== null && now() < until ? until : null);
  return {
    pausedUntil,
    isPaused: () => pausedUntil() !== null,
    pauseForAnHour: () => {
      until = now() + PAUSE_MS;
      end?.cancel();
      // When the hour is up the tray's menu says so at once ("Pause…" again), not at the next
      // change of the figures, which may be hours away.
      end = schedule(() => {
        end = null;
        onChange();
      }, PAUSE_MS);
      onChange();
    },
    resume: () => {
      until = null;
      end?.cancel();
      end = null;
      onChange();
    },
  };
}

const plural = (count: number, one: string, many: string): string =>
  `${count} ${count === 1 ? one : many}`;

/** The tray's tooltip: what waits for me, in the badge's terms. */
export function trayToolTip(figures: TrayFigures | null): string {
  if (figures === null) return 'Replydesk';
  if (figures.waiting === 0) return 'Replydesk — nothing waiting for you';
  const waiting = `${plural(figures.waiting, 'conversation', 'conversations')} waiting for you`;
  return figures.closingSoon > 0
    ? `Replydesk — ${waiting}, ${plural(figures.closingSoon, 'window closes', 'windows close')} within the hour`
    : `Replydesk — ${waiting}`;
}

/** macOS menu-bar title beside the icon: `3` or `3 · 1⏱`; empty when nothing waits. */
export function trayTitle(figures: TrayFigures | null): string {
  if (figures === null || figures.waiting === 0) return '';
  return figures.closingSoon > 0
    ? `${figures.waiting} · ${figures.closingSoon}⏱`
    : `${figures.waiting}`;
}

const timeOfDay = (at: number): string =>
  new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * `availability`: the agent's as the page last said, checked in the menu; `null` leaves the two
 * items out (this computer's own hub has no availability, or the page does not know it).
 */
export function trayMenuTemplate(
  figures: TrayFigures | null,
  pausedUntil: number | null,
  actions: TrayActions & { pause(): void; resume(): void },
  availability: Availability | null = null,
): MenuItemConstructorOptions[] {
  const choice = (value: Availability, label: string): MenuItemConstructorOptions => ({
    label,
    type: 'radio',
    checked: availability === value,
    click: () => actions.setAvailability(value),
  });
  return [
    { label: 'Open Replydesk', click: () => actions.open() },
    { label: trayToolTip(figures).replace(/^Replydesk — /, ''), enabled: false },
    { type: 'separator' },
    ...(availability === null
      ? []
      : [
          choice('available', 'Available'),
          choice('away', 'Away'),
          { type: 'separator' } satisfies MenuItemConstructorOptions,
        ]),
    pausedUntil === null
      ? { label: 'Pause notifications for 1 hour', click: () => actions.pause() }
      : {
          label: `Resume notifications (paused until ${timeOfDay(pausedUntil)})`,
          click: () => actions.resume(),
        },
    { type: 'separator' },
    { label: 'Quit Replydesk', click: () => actions.quit() },
  ];
}

export interface TrayController {
  /** New figures from the page (`badge:set-count`). */
  update(figures: TrayFigures): void;
  /** Rebuild the menu (the pause changed or ran out). */
  refresh(): void;
  /** The agent's availability as the page knows it (`tray:availability`). */
  showAvailability(availability: Availability | null): void;
  readonly figures: TrayFigures | null;
  destroy(): void;
}

export function createTrayController(
  electron: TrayElectron,
  pause: NotificationPause,
  actions: TrayActions,
): TrayController {
  let figures: TrayFigures | null = null;
  let availability: Availability | null = null;
  let closing = false;
  const icon = (closingSoon: boolean): NativeImageLike =>
    electron.nativeImage.createFromBuffer(trayIconPng(closingSoon));
  const tray = new electron.Tray(icon(false));
  // Windows and Linux: a click on the icon opens the app (macOS opens the menu by itself).
  tray.on('click', () => actions.open());

  const refresh = (): void => {
    tray.setToolTip(trayToolTip(figures));
    tray.setTitle(trayTitle(figures));
    const soon = (figures?.closingSoon ?? 0) > 0;
    if (soon !== closing) {
      closing = soon;
      tray.setImage(icon(soon));
    }
    tray.setContextMenu(
      electron.Menu.buildFromTemplate(
        trayMenuTemplate(
          figures,
          pause.pausedUntil(),
          {
            ...actions,
            pause: () => pause.pauseForAnHour(),
            resume: () => pause.resume(),
          },
          availability,
        ),
      ),
    );
  };
  refresh();
  return {
    update(next) {
      figures = next;
      refresh();
    },
    refresh,
    showAvailability(next) {
      if (next === availability) return;
      availability = next;
      refresh();
    },
    get figures() {
      return figures;
    },
    destroy: () => tray.destroy(),
  };
}

/** The parts of a window the taskbar overlay uses (Windows only). */
export interface OverlayWindow {
  setOverlayIcon(overlay: NativeImageLike | null, description: string): void;
}

/** Windows taskbar: a red dot described by the figures while something waits, none otherwise. */
export function applyOverlay(
  window: OverlayWindow,
  figures: TrayFigures,
  nativeImage: TrayElectron['nativeImage'],
): void {
  if (figures.waiting === 0) window.setOverlayIcon(null, '');
  else
    window.setOverlayIcon(
      nativeImage.createFromBuffer(overlayIconPng()),
      trayToolTip(figures).replace(/^Replydesk — /, ''),
    );
}

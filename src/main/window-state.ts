import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * The main window's size, position, maximised state and display, remembered across launches
 * (issue #21 item 4) in `userData/window-state.json`. A display that is gone (a laptop away
 * from its monitor) or whose area no longer holds the window falls back to the primary display,
 * centred, at the saved size shrunk to fit: a window must never open off screen.
 */

export const WINDOW_STATE_FILE = 'window-state.json';

export interface Rectangle {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface DisplayLike {
  readonly id: number;
  /** The area windows may use (without the taskbar / menu bar). */
  readonly workArea: Rectangle;
}

export interface ScreenLike {
  getAllDisplays(): DisplayLike[];
  getPrimaryDisplay(): DisplayLike;
  getDisplayMatching(rect: Rectangle): DisplayLike;
}

const windowStateSchema = z.object({
  bounds: z.object({
    x: z.number().int(),
    y: z.number().int(),
    width: z.number().int().min(1).max(100_000),
    height: z.number().int().min(1).max(100_000),
  }),
  maximised: z.boolean(),
  displayId: z.number().int(),
});
export type WindowState = z.infer<typeof windowStateSchema>;

export interface WindowPlacement {
  /** Omitted: let the system place a window of `defaultSize`. */
  readonly bounds: Rectangle | null;
  readonly maximised: boolean;
}

export const MIN_WINDOW = { width: 960, height: 600 } as const;

/** Enough of the title bar on screen to grab the window by: this many pixels each way. */
const GRAB_MARGIN = 48;

function holds(area: Rectangle, bounds: Rectangle): boolean {
  const left = Math.max(area.x, bounds.x);
  const right = Math.min(area.x + area.width, bounds.x + bounds.width);
  const top = Math.max(area.y, bounds.y);
  // The title bar (the top of the window) must be inside the area.
  return (
    right - left >= GRAB_MARGIN && top === bounds.y && bounds.y < area.y + area.height - GRAB_MARGIN
  );
}

function centredOn(area: Rectangle, size: { width: number; height: number }): Rectangle {
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

/** Where the window opens: the saved place if its display is still there and holds it. */
export function placeWindow(saved: WindowState | null, screen: ScreenLike): WindowPlacement {
  if (saved === null) return { bounds: null, maximised: false };
  const display = screen.getAllDisplays().find((candidate) => candidate.id === saved.displayId);
  if (display && holds(display.workArea, saved.bounds)) {
    return { bounds: saved.bounds, maximised: saved.maximised };
  }
  // Gone or moved (resolution changed): the primary display, centred, the size kept if it fits.
  return {
    bounds: centredOn(screen.getPrimaryDisplay().workArea, saved.bounds),
    maximised: saved.maximised,
  };
}

/** What a window exposes for its state. */
export interface StatefulWindow {
  /** The bounds when not maximised (so un-maximising later returns there). */
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  on(event: 'resize' | 'move' | 'close', listener: () => void): unknown;
}

export function captureWindowState(window: StatefulWindow, screen: ScreenLike): WindowState {
  const bounds = window.getNormalBounds();
  return {
    bounds,
    maximised: window.isMaximized(),
    displayId: screen.getDisplayMatching(bounds).id,
  };
}

export async function readWindowState(filePath: string): Promise<WindowState | null> {
  try {
    const parsed = windowStateSchema.safeParse(JSON.parse(await readFile(filePath, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    // Missing or unreadable: the first launch's placement.
    return null;
  }
}

export async function writeWindowState(filePath: string, state: WindowState): Promise<void> {
  const temporary = `${filePath}.tmp`;
  await writeFile(temporary, JSON.stringify(state));
  await rename(temporary, filePath);
}

/**
 * Save the window's state as it changes (debounced: a drag emits dozens of moves) and when it
 * closes. `schedule` is `setTimeout` in the app; the returned promise of `flush` is the write.
 */
export function trackWindowState(
  window: StatefulWindow,
  screen: ScreenLike,
  save: (state: WindowState) => Promise<void>,
  schedule: (run: () => void) => { cancel(): void } = (run) => {
    const timer = setTimeout(run, 500);
    return { cancel: () => clearTimeout(timer) };
  },
): { flush(): Promise<void> } {
  let pending: { cancel(): void } | null = null;
  // One write at a time: two at once share the temporary file, and the second rename fails
  // (a close kept in the tray and the real close at quit come in one tick).
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    pending?.cancel();
    pending = null;
    const state = captureWindowState(window, screen);
    writing = writing
      .then(() => save(state))
      .catch((error: unknown) => {
        console.warn('Replydesk: the window state was not saved', error);
      });
    return writing;
  };
  const later = (): void => {
    pending?.cancel();
    pending = schedule(() => void flush());
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('close', () => void flush());
  return { flush };
}

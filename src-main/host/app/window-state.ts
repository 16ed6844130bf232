// The Electron window's size and position, remembered across runs in <dataDir>/window-state.json
// (a file rather than lab.db: the window is made before the lab has opened its store), and put back
// only where it can be seen: a monitor unplugged since, or a smaller screen, must not leave the
// window off-screen or larger than the screen. Pure functions, so they are tested without Electron.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** The window's normal (not maximized) bounds. */
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 860 } as const;
export const MIN_WINDOW_SIZE = { width: 800, height: 560 } as const;

const FILE = 'window-state.json';

/** The saved state, or null if there is none or it is not a state this app wrote. */
export function loadWindowState(dataDir: string): WindowState | null {
  try {
    const value = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as Partial<WindowState>;
    const b = value.bounds;
    const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
    if (!b || ![b.x, b.y, b.width, b.height].every(finite) || b.width <= 0 || b.height <= 0) return null;
    return { bounds: { x: b.x, y: b.y, width: b.width, height: b.height }, maximized: value.maximized === true };
  } catch {
    return null;
  }
}

/** Written whole then renamed, so a crash mid-write leaves the previous state, not half a file. */
export function saveWindowState(dataDir: string, state: WindowState): void {
  const file = join(dataDir, FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(state) + '\n');
  renameSync(`${file}.tmp`, file);
}

/**
 * Where to open the window, given the saved state and the screens' work areas (the primary first).
 * Without a saved state: the default size and no position (Electron centres it). Otherwise the
 * saved bounds, shrunk to fit the screen they are mostly on and moved wholly onto it; if they are
 * on no screen at all (that monitor is gone), centred on the primary one.
 */
export function placeWindow(
  saved: WindowState | null,
  screens: readonly Rect[],
): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean } {
  if (!saved || screens.length === 0) return { bounds: { ...DEFAULT_WINDOW_SIZE }, maximized: false };
  const { bounds } = saved;
  const home = screens.reduce<{ screen: Rect; area: number }>(
    (best, screen) => {
      const area = overlap(bounds, screen);
      return area > best.area ? { screen, area } : best;
    },
    { screen: screens[0]!, area: 0 },
  );
  const screen = home.screen;
  const width = clamp(bounds.width, Math.min(MIN_WINDOW_SIZE.width, screen.width), screen.width);
  const height = clamp(bounds.height, Math.min(MIN_WINDOW_SIZE.height, screen.height), screen.height);
  if (home.area === 0) {
    return {
      bounds: {
        x: screen.x + Math.round((screen.width - width) / 2),
        y: screen.y + Math.round((screen.height - height) / 2),
        width,
        height,
      },
      maximized: saved.maximized,
    };
  }
  // The size fits the screen now, so the whole window can be on it: move it there if it hangs over an edge.
  const x = clamp(bounds.x, screen.x, screen.x + screen.width - width);
  const y = clamp(bounds.y, screen.y, screen.y + screen.height - height);
  return { bounds: { x, y, width, height }, maximized: saved.maximized };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(Math.max(n, min), max);
}

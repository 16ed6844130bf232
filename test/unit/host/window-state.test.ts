// The window's remembered place, put back only where it can be seen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_WINDOW_SIZE, loadWindowState, placeWindow, saveWindowState } from '../../../src-main/host/app/window-state.js';
import { tempDir } from '../../support/servers.js';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const external = { x: 1440, y: -200, width: 2560, height: 1400 };

test('no saved state: the default size, placed by the window system', () => {
  assert.deepEqual(placeWindow(null, [laptop]), { bounds: { ...DEFAULT_WINDOW_SIZE }, maximized: false });
});

test('a window that fits where it was comes back exactly there, maximized or not', () => {
  const saved = { bounds: { x: 1600, y: 0, width: 1280, height: 900 }, maximized: true };
  assert.deepEqual(placeWindow(saved, [laptop, external]), saved);
});

test('on a monitor that is gone: centred on the primary screen, shrunk to fit it', () => {
  const saved = { bounds: { x: 1600, y: 0, width: 2000, height: 1200 }, maximized: false };
  assert.deepEqual(placeWindow(saved, [laptop]), { bounds: { x: 0, y: 0, width: 1440, height: 875 }, maximized: false });
  const small = { bounds: { x: 3000, y: 100, width: 1000, height: 700 }, maximized: false };
  assert.deepEqual(placeWindow(small, [laptop]).bounds, { x: 220, y: 88, width: 1000, height: 700 });
});

test('hanging over an edge or above the top: moved wholly onto the screen it is mostly on', () => {
  const saved = { bounds: { x: -300, y: -50, width: 1000, height: 700 }, maximized: false };
  assert.deepEqual(placeWindow(saved, [laptop, external]).bounds, { x: 0, y: 0, width: 1000, height: 700 });
  const right = { bounds: { x: 3600, y: 900, width: 800, height: 600 }, maximized: false };
  assert.deepEqual(placeWindow(right, [laptop, external]).bounds, { x: 3200, y: 600, width: 800, height: 600 });
});

test('the state survives a restart through window-state.json; a damaged file is ignored', () => {
  const dir = tempDir('replicalab-window-');
  try {
    assert.equal(loadWindowState(dir), null);
    const state = { bounds: { x: 10, y: 20, width: 900, height: 700 }, maximized: false };
    saveWindowState(dir, state);
    assert.deepEqual(loadWindowState(dir), state);
    writeFileSync(join(dir, 'window-state.json'), '{"bounds": {"x": "left"}');
    assert.equal(loadWindowState(dir), null);
    writeFileSync(join(dir, 'window-state.json'), '{"bounds": {"x": 1, "y": 2, "width": -5, "height": 3}}');
    assert.equal(loadWindowState(dir), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

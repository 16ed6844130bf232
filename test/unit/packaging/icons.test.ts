// The icon set in build/ is complete and current: every size each platform's package needs, at
// the dimensions its file says (read from the PNG, ICO and ICNS data themselves), and the PNGs are
// what `npm run icons` makes from build/icon.svg today (so a changed SVG without regenerated icons fails).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { LINUX_ICON_SIZES, MAC_ICON_SIZES, WINDOWS_ICON_SIZES } from '../../../scripts/icon-sizes.js';
import { ROOT } from '../../support/servers.js';

const BUILD = join(ROOT, 'build');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk (which must come first). */
function pngSize(data: Buffer): { width: number; height: number } {
  assert.ok(data.subarray(0, 8).equals(PNG_SIGNATURE), 'not a PNG');
  assert.equal(data.toString('latin1', 12, 16), 'IHDR');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

test('Linux: build/icons/<N>x<N>.png for every size from 16 to 1024, each that size, and build/icon.png at 1024', () => {
  for (const size of LINUX_ICON_SIZES) {
    const file = join(BUILD, 'icons', `${size}x${size}.png`);
    assert.ok(existsSync(file), `${file} is missing (npm run icons)`);
    assert.deepEqual(pngSize(readFileSync(file)), { width: size, height: size }, file);
  }
  assert.deepEqual(pngSize(readFileSync(join(BUILD, 'icon.png'))), { width: 1024, height: 1024 });
  assert.deepEqual(
    [16, 32, 48, 256, 512, 1024].filter((s) => !(LINUX_ICON_SIZES as readonly number[]).includes(s)),
    [],
  );
});

test('Windows: build/icon.ico holds 16 … 256, each entry the size its directory states', () => {
  const ico = readFileSync(join(BUILD, 'icon.ico'));
  assert.equal(ico.readUInt16LE(0), 0);
  assert.equal(ico.readUInt16LE(2), 1, 'type 1: icon');
  const sizes: number[] = [];
  for (let i = 0; i < ico.readUInt16LE(4); i++) {
    const entry = 6 + 16 * i;
    const stated = ico[entry] || 256; // 0 means 256
    assert.equal(ico[entry + 1] || 256, stated, 'square');
    const image = ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8));
    // An entry is a PNG, or a BMP without its file header (BITMAPINFOHEADER; its height counts the mask too).
    const actual = image.subarray(0, 8).equals(PNG_SIGNATURE)
      ? pngSize(image)
      : { width: image.readInt32LE(4), height: image.readInt32LE(8) / 2 };
    assert.deepEqual(actual, { width: stated, height: stated }, `entry ${i}`);
    sizes.push(stated);
  }
  for (const size of WINDOWS_ICON_SIZES) assert.ok(sizes.includes(size), `no ${size} px image in icon.ico (has ${sizes.join(', ')})`);
});

test('macOS: build/icon.icns holds 16 … 1024 (with the @2x types), each PNG the size its type means', () => {
  const icns = readFileSync(join(BUILD, 'icon.icns'));
  assert.equal(icns.toString('latin1', 0, 4), 'icns');
  assert.equal(icns.readUInt32BE(4), icns.length, 'the header states the file length');
  /** Apple's icon types and the pixel size of each. */
  const TYPE_SIZE: Record<string, number> = {
    is32: 16,
    il32: 32,
    ic11: 32,
    ic12: 64,
    ic07: 128,
    ic13: 256,
    ic08: 256,
    ic14: 512,
    ic09: 512,
    ic10: 1024,
  };
  const sizes = new Set<number>();
  for (let at = 8; at < icns.length;) {
    const type = icns.toString('latin1', at, at + 4);
    const length = icns.readUInt32BE(at + 4);
    const data = icns.subarray(at + 8, at + length);
    const size = TYPE_SIZE[type];
    if (size !== undefined) {
      if (data.subarray(0, 8).equals(PNG_SIGNATURE)) assert.deepEqual(pngSize(data), { width: size, height: size }, type);
      sizes.add(size);
    }
    at += length;
  }
  for (const size of MAC_ICON_SIZES) assert.ok(sizes.has(size), `no ${size} px image in icon.icns`);
});

test('the PNGs are today’s rendering of build/icon.svg (run `npm run icons` after changing it)', () => {
  const svg = readFileSync(join(BUILD, 'icon.svg'));
  for (const size of [16, 256]) {
    const fresh = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
    assert.ok(fresh.equals(readFileSync(join(BUILD, 'icons', `${size}x${size}.png`))), `build/icons/${size}x${size}.png is stale`);
  }
});

// LOLWUT [VERSION v] [args...] (lolwut.c, lolwut5.c, lolwut6.c): computer art and the version.
// Redis 7.0's own LOLWUT is just the version line; VERSION 5 draws Georg Nees' "Schotter" in
// braille characters, VERSION 6 a city skyline in terminal colours. Both follow Redis's drawing
// code step by step (with C's float arithmetic where Redis uses floats), so the same parameters
// give the same picture where Redis's picture does not depend on rand(): Schotter's first two
// rows of squares are never rotated.
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';
import { defineCommand, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { parseInteger } from '../util/numbers.js';
import { REDIS_VERSION } from '../util/version.js';

const f32 = Math.fround;
/** C's rand(): 0 .. RAND_MAX. */
const RAND_MAX = 2147483647;
const rand = () => Math.floor(Math.random() * (RAND_MAX + 1));

/** lolwut.h lwCanvas: a width x height grid of small colour numbers. */
class Canvas {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    background: number,
  ) {
    this.pixels = new Uint8Array(width * height).fill(background);
  }

  get(x: number, y: number): number {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return 0;
    return this.pixels[x + y * this.width]!;
  }

  set(x: number, y: number, color: number): void {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return;
    this.pixels[x + y * this.width] = color;
  }

  /** lwDrawLine: Bresenham. */
  line(x1: number, y1: number, x2: number, y2: number, color: number): void {
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let err = dx - dy;
    for (;;) {
      this.set(x1, y1, color);
      if (x1 === x2 && y1 === y2) break;
      const e2 = err * 2;
      if (e2 > -dy) {
        err -= dy;
        x1 += sx;
      }
      if (e2 < dx) {
        err += dx;
        y1 += sy;
      }
    }
  }

  /** lwDrawSquare: a square centred on x,y, `size` wide, rotated by `angle`. */
  square(x: number, y: number, size: number, angle: number, color: number): void {
    // The side of a square inscribed in a circle of radius 1 is sqrt(2): size becomes the radius.
    size = f32(Math.round(f32(size / 1.4142135623)));
    let k = f32(Math.PI / 4 + angle);
    const px: number[] = [];
    const py: number[] = [];
    for (let j = 0; j < 4; j++) {
      px.push(cRound(Math.sin(k) * size + x));
      py.push(cRound(Math.cos(k) * size + y));
      k = f32(k + Math.PI / 2);
    }
    for (let j = 0; j < 4; j++) this.line(px[j]!, py[j]!, px[(j + 1) % 4]!, py[(j + 1) % 4]!, color);
  }
}

/** C's round(): halves away from zero (Math.round rounds -0.5 up). */
function cRound(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/** lwDrawSchotter: rows of squares, more rotated and displaced the lower they are. */
function drawSchotter(consoleCols: number, squaresPerRow: number, squaresPerCol: number): Canvas {
  const width = consoleCols * 2;
  const padding = width > 4 ? 2 : 0;
  const side = f32(f32(width - padding * 2) / squaresPerRow);
  const height = Math.trunc(f32(f32(side * squaresPerCol) + padding * 2));
  const canvas = new Canvas(width, height, 0);
  for (let y = 0; y < squaresPerCol; y++) {
    for (let x = 0; x < squaresPerRow; x++) {
      let sx = Math.trunc(f32(f32(f32(x * side) + f32(side / 2)) + padding));
      let sy = Math.trunc(f32(f32(f32(y * side) + f32(side / 2)) + padding));
      let angle = 0;
      if (y > 1) {
        const r = () => f32(f32(f32(f32(rand()) / f32(RAND_MAX)) / squaresPerCol) * y);
        let r1 = r();
        let r2 = r();
        let r3 = r();
        if (rand() % 2) r1 = -r1;
        if (rand() % 2) r2 = -r2;
        if (rand() % 2) r3 = -r3;
        angle = r1;
        sx = Math.trunc(f32(sx + f32(f32(r2 * side) / 3)));
        sy = Math.trunc(f32(sy + f32(f32(r3 * side) / 3)));
      }
      canvas.square(sx, sy, side, angle, 1);
    }
  }
  return canvas;
}

/** lolwut5.c renderCanvas: each 2x4 block of pixels is one braille character. */
function renderBraille(canvas: Canvas): string {
  let text = '';
  for (let y = 0; y < canvas.height; y += 4) {
    for (let x = 0; x < canvas.width; x += 2) {
      let byte = 0;
      if (canvas.get(x, y)) byte |= 1 << 0;
      if (canvas.get(x, y + 1)) byte |= 1 << 1;
      if (canvas.get(x, y + 2)) byte |= 1 << 2;
      if (canvas.get(x + 1, y)) byte |= 1 << 3;
      if (canvas.get(x + 1, y + 1)) byte |= 1 << 4;
      if (canvas.get(x + 1, y + 2)) byte |= 1 << 5;
      if (canvas.get(x, y + 3)) byte |= 1 << 6;
      if (canvas.get(x + 1, y + 3)) byte |= 1 << 7;
      text += String.fromCharCode(0x2800 + byte);
    }
    if (y !== canvas.height - 1) text += '\n';
  }
  return text;
}

/** lolwut6.c renderCanvas: one coloured space per pixel, in the terminal's four grays. */
function renderColors(canvas: Canvas): string {
  const escapes = ['0;30;40m', '0;90;100m', '0;37;47m', '0;97;107m'];
  let text = '';
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) text += `\x1b[${escapes[canvas.get(x, y)] ?? escapes[0]} \x1b[0m`;
    if (y !== canvas.height - 1) text += '\n';
  }
  return text;
}

interface Skyscraper {
  xoff: number;
  width: number;
  height: number;
  windows: boolean;
  color: number;
}

/** generateSkyscraper: a building from the bottom, its roof narrower, windows of random grays. */
function drawSkyscraper(canvas: Canvas, s: Skyscraper): void {
  const startY = canvas.height - 1;
  const endY = startY - s.height + 1;
  for (let y = startY; y >= endY; y--) {
    for (let x = s.xoff; x < s.xoff + s.width; x++) {
      if (y === endY && (x <= s.xoff + 1 || x >= s.xoff + s.width - 2)) continue;
      let color = s.color;
      if (s.windows && x > s.xoff + 1 && x < s.xoff + s.width - 2 && y > endY + 1 && y < startY - 1) {
        const relx = x - (s.xoff + 1);
        const rely = y - (endY + 1);
        // Windows two pixels wide and one tall (terminal characters are not square).
        if (Math.trunc(relx / 2) % 2 && rely % 2) {
          do color = 1 + (rand() % 2);
          while (color === s.color);
          if (relx % 2) color = canvas.get(x - 1, y);
        }
      }
      canvas.set(x, y, color);
    }
  }
}

/** generateSkyline: two rows of background buildings, then the foreground with windows. */
function drawSkyline(canvas: Canvas): void {
  const h = canvas.height;
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < canvas.width;) {
      offset += rand() % 8;
      const width = 10 + (rand() % 9);
      const height = color === 2 ? Math.trunc(h / 2) + Math.trunc((rand() % h) / 2) : Math.trunc(h / 2) + Math.trunc((rand() % h) / 3);
      drawSkyscraper(canvas, { xoff: offset, width, height, windows: false, color });
      offset += color === 2 ? Math.trunc(width / 2) : width + 1;
    }
  }
  for (let offset = -10; offset < canvas.width;) {
    offset += rand() % 8;
    let width = 5 + (rand() % 14);
    if (width % 4) width += width % 3;
    const height = Math.trunc(h / 3) + Math.trunc((rand() % h) / 2);
    drawSkyscraper(canvas, { xoff: offset, width, height, windows: true, color: 0 });
    offset += width + 5;
  }
}

/** The numeric arguments after the version's, with their defaults; null after replying the error. */
function numbers(client: Client, args: BinaryString[], defaults: number[]): number[] | null {
  const values = [...defaults];
  for (let i = 0; i < defaults.length && i < args.length; i++) {
    const n = parseInteger(args[i]!);
    if (n === null) {
      client.reply.error(ERR.notInteger);
      return null;
    }
    values[i] = n;
  }
  return values;
}

const clamp = (v: number, max: number) => Math.min(Math.max(v, 1), max);

function lolwut(client: Client, argv: BinaryString[]): void {
  let version = REDIS_VERSION;
  let args = argv.slice(1);
  if (argv.length >= 3 && is(argv[1]!, 'version')) {
    const v = parseInteger(argv[2]!);
    if (v === null) {
      client.reply.error(ERR.notInteger);
      return;
    }
    version = `${v >>> 0}.0.0`; // %u of the long
    args = argv.slice(3);
  }
  const [major, minor] = [version[0], version.slice(1, 3)];
  if ((major === '5' && minor[0] === '.' && minor[1] !== '9') || (major === '4' && minor === '.9')) {
    const values = numbers(client, args, [66, 8, 12]);
    if (!values) return;
    const [cols, perRow, perCol] = [clamp(values[0]!, 1000), clamp(values[1]!, 200), clamp(values[2]!, 200)];
    const art = renderBraille(drawSchotter(cols, perRow, perCol));
    client.reply.verbatim(`${art}\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${REDIS_VERSION}\n`);
  } else if ((major === '6' && minor[0] === '.' && minor[1] !== '9') || (major === '5' && minor === '.9')) {
    const values = numbers(client, args, [80, 20]);
    if (!values) return;
    const canvas = new Canvas(clamp(values[0]!, 1000), clamp(values[1]!, 1000), 3);
    drawSkyline(canvas);
    client.reply.verbatim(
      `${renderColors(canvas)}\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. Redis ver. ${REDIS_VERSION}\n`,
    );
  } else {
    client.reply.verbatim(`Redis ver. ${REDIS_VERSION}\n`);
  }
}

export const lolwutCommands: CommandSpec[] = [
  defineCommand({
    name: 'lolwut',
    arity: -1,
    flags: ['readonly', 'fast'],
    summary: 'Display some computer art and the Redis version',
    since: '5.0.0',
    group: 'server',
    arguments: [{ name: 'version', type: 'integer', token: 'VERSION', optional: true }],
    handler: lolwut,
  }),
];

// `npm run icons`: every icon the desktop packages need, from the one source image build/icon.svg.
//   build/icons/<N>x<N>.png   Linux (AppImage, deb): 16 … 1024, each rendered from the SVG at its size
//   build/icon.png            1024 × 1024, electron-builder's fallback and the window icon
//   build/icon.ico            Windows (nsis): 16 … 256 inside
//   build/icon.icns           macOS (dmg): 16 … 1024 (with the @2x variants) inside
// The generated files are committed; run this again after changing icon.svg. The sizes are listed
// in scripts/icon-sizes.ts, which the packaging tests check the files against.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';
import { LINUX_ICON_SIZES } from './icon-sizes.js';

const buildDir = join(import.meta.dirname, '..', 'build');
const svg = readFileSync(join(buildDir, 'icon.svg'));

/** The SVG rendered at `size` pixels square (each size from the vector, not scaled from a bitmap). */
function render(size: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
}

mkdirSync(join(buildDir, 'icons'), { recursive: true });
for (const size of LINUX_ICON_SIZES) writeFileSync(join(buildDir, 'icons', `${size}x${size}.png`), render(size));
const largest = render(1024);
writeFileSync(join(buildDir, 'icon.png'), largest);

// png2icons scales the 1024 px rendering down to each size the format holds (bicubic), and writes
// ICO entries as the Windows executable's resource compiler expects them (BMP, PNG for 256).
const ico = png2icons.createICO(largest, png2icons.BICUBIC, 0, false, true);
const icns = png2icons.createICNS(largest, png2icons.BICUBIC, 0);
if (!ico || !icns) throw new Error('png2icons could not convert build/icon.png');
writeFileSync(join(buildDir, 'icon.ico'), ico);
writeFileSync(join(buildDir, 'icon.icns'), icns);
console.log(`icons: ${LINUX_ICON_SIZES.length} PNGs in build/icons/, build/icon.png, build/icon.ico, build/icon.icns`);

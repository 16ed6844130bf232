// The icon sizes each platform's package needs, shared by `npm run icons` (scripts/make-icons.ts)
// and the packaging tests that check the generated files.

/** build/icons/<N>x<N>.png: the hicolor sizes Linux desktops look up, up to the 1024 px HiDPI one. */
export const LINUX_ICON_SIZES = [16, 24, 32, 48, 64, 96, 128, 256, 512, 1024] as const;

/** Inside build/icon.ico: what Windows shows from a 16 px list row to a 256 px tile. */
export const WINDOWS_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

/** Inside build/icon.icns: 16 … 512 and their @2x renderings (32 … 1024). */
export const MAC_ICON_SIZES = [16, 32, 64, 128, 256, 512, 1024] as const;

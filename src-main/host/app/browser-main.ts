// `node out/main/browser-main.js [--http-port N] [--data-dir DIR]`: browser mode without the
// launcher's Electron detection.
import { runBrowserMode } from './browser-mode.js';

await runBrowserMode(process.argv.slice(2), import.meta.dirname);

// Whether this machine can show the Electron window. Electron is an optional dependency: where its
// binary cannot be downloaded npm drops the package, or leaves it without a binary; requiring it
// then throws ("Electron failed to install correctly") or names a file that does not exist.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Path of the Electron executable, or null if Electron is not installed. */
export function findElectronBinary(): string | null {
  try {
    // In plain Node the electron package exports the path of its binary.
    const binary: unknown = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

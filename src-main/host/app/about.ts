// The About box's text: ReplicaLab's version, the Redis version its nodes answer as, and the
// runtime's (Electron, Chromium, Node, V8), for bug reports.
import { REDIS_VERSION } from '../../engine/index.js';
import { labVersion } from '../export/lab-version.js';

export function aboutText(versions: Partial<Record<'electron' | 'chrome' | 'node' | 'v8', string>>): string {
  const lines = [
    `ReplicaLab ${labVersion()}`,
    `Nodes answer as Redis ${REDIS_VERSION}`,
    versions.electron && `Electron ${versions.electron}`,
    versions.chrome && `Chromium ${versions.chrome}`,
    versions.node && `Node ${versions.node}`,
    versions.v8 && `V8 ${versions.v8}`,
  ];
  return lines.filter(Boolean).join('\n');
}

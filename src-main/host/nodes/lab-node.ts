// Everything the host knows about one node: its stored settings plus what is happening to it now.
import type { NodeLiveInfo, NodeStatus } from '../../api/index.js';
import type { StoredNode } from '../store/lab-store.js';
import type { RunningNode } from './node-backend.js';
import { nodeFiles, type NodeFiles } from './node-files.js';
import { LogRotator, type LogRotationOptions } from './log-rotation.js';
import { NodeLog } from './node-log.js';
import { SerialQueue } from './serial-queue.js';

export interface LabNode {
  stored: StoredNode;
  files: NodeFiles;
  status: NodeStatus;
  /** Set while the node runs; its port is the one it actually listens on. */
  running: RunningNode | null;
  /** The last INFO sample, or null while the node is not running. */
  info: NodeLiveInfo | null;
  lastError: string | null;
  log: NodeLog;
  /** Keeps node.log bounded on disk (node.log.1 … .N). */
  logRotator: LogRotator;
  /** Start/stop/remove/link/crash of this node, one at a time. */
  queue: SerialQueue;
  /** Why the host is stopping it, for the `stopped` event. */
  stopReason: string;
}

/** A node as the lab finds it in the store: stopped until something starts it. */
export function labNode(stored: StoredNode, dataDir: string, logRotation: LogRotationOptions): LabNode {
  const files = nodeFiles(dataDir, stored.id);
  return {
    stored,
    files,
    status: 'stopped',
    running: null,
    info: null,
    lastError: null,
    log: new NodeLog(files.logFile),
    logRotator: new LogRotator(files.logFile, logRotation),
    queue: new SerialQueue(),
    stopReason: 'stopped',
  };
}

// Words used for nodes everywhere in the UI, kept in one place so that buttons, announcements and
// tests agree (the Playwright test finds controls by these accessible names).
import type { NodeStatus, NodeSummary } from '@api/nodes.js';

/** "node-1 (port 6379)": how a node is named in every control that acts on it. */
export function nodeLabel(node: Pick<NodeSummary, 'name' | 'port'>): string {
  return `${node.name} (port ${node.port})`;
}

export const STATUS_TEXT: Record<NodeStatus, string> = {
  starting: 'Starting',
  running: 'Running',
  stopping: 'Stopping',
  stopped: 'Stopped',
  crashed: 'Crashed',
};

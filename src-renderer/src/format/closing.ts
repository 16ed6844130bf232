// The quitting lab's progress in words, from its `closing` pushes.
import type { LabClosingPush } from '@api/index.js';

export function closingProgress(push: LabClosingPush): string {
  if (push.stopping.length === 0) return `All ${push.total} nodes stopped.`;
  const who = push.stopping.join(', ');
  const first = push.stopped === 0 && push.total > push.stopping.length;
  return `${push.stopped} of ${push.total} stopped; stopping ${who}${first ? ' (a master waits for its replicas to catch up)' : ''}.`;
}

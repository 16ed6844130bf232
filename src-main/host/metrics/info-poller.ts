// Keeps every running node's INFO fresh: every 500 ms it asks each running node for INFO and then
// pushes the node list. A sample usually arrives within the tick it was asked for and goes out with
// the next push, so for a node that answers promptly the screen is at most about a second behind.
// A node still busy with the previous request is skipped, not asked twice; one that does not answer
// keeps its last sample, whose sampledAt shows its age.
import type { LabNode } from '../nodes/lab-node.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import { parseNodeInfo } from './info-parser.js';

/** INFO is polled, and the node list pushed, this often. */
export const INFO_POLL_INTERVAL_MS = 500;

export class InfoPoller {
  private timer: NodeJS.Timeout | null = null;
  /** Nodes with an INFO request outstanding. */
  private readonly inFlight = new Set<LabNode>();
  /** Who else wants each reading's full text (the history keeps fields the node list does not show). */
  private readonly sampleListeners = new Set<(node: LabNode, text: string, sampledAt: number) => void>();

  constructor(
    private readonly registry: NodeRegistry,
    /** Called after each tick has sent its requests: pushes the node list. */
    private readonly afterTick: () => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.tick(), INFO_POLL_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Calls `listener` with every INFO text read, after the node's sample is updated; returns the unsubscribe function. */
  onSample(listener: (node: LabNode, text: string, sampledAt: number) => void): () => void {
    this.sampleListeners.add(listener);
    return () => this.sampleListeners.delete(listener);
  }

  /** Asks the node for INFO now and stores the sample; resolves (never rejects) when done. */
  async refresh(node: LabNode): Promise<void> {
    const running = node.running;
    if (!running) return;
    this.inFlight.add(node);
    try {
      const text = await running.info();
      if (node.running === running) {
        const sampledAt = Date.now();
        node.info = parseNodeInfo(text, sampledAt);
        for (const listener of this.sampleListeners) listener(node, text, sampledAt);
      }
    } catch {
      // No answer in time (the node is blocked) or it just ended: the last sample stays, and its
      // sampledAt shows how old it is; an end is reported by the node lifecycle.
    } finally {
      this.inFlight.delete(node);
    }
  }

  private tick(): void {
    for (const node of this.registry.all()) {
      if (node.running && !this.inFlight.has(node)) void this.refresh(node);
    }
    this.afterTick();
  }
}

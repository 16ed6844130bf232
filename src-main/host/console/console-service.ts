// The consoles of the lab's nodes: one session per node, opened on first use, closed when the node
// is removed (it is gone from the next node list pushed) or the lab closes. Streamed output goes
// out as `console` pushes.
import type { ConsoleReplyLines } from '../../api/index.js';
import type { LabPushes } from '../events/lab-pushes.js';
import { authArgs, nodeAddress } from '../nodes/node-address.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import { ConsoleSession } from './console-session.js';

export class ConsoleService {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(
    private readonly registry: NodeRegistry,
    private readonly pushes: LabPushes,
  ) {
    pushes.subscribe((push) => {
      if (push.type !== 'nodes') return;
      const ids = new Set(push.nodes.map((node) => node.id));
      for (const id of this.sessions.keys()) if (!ids.has(id)) this.forget(id);
    });
  }

  run(id: string, line: string): Promise<ConsoleReplyLines> {
    return this.session(id).run(line);
  }

  async cancel(id: string): Promise<{ cancelled: boolean }> {
    return { cancelled: this.sessions.get(id)?.cancel() ?? false };
  }

  /** Closes a removed node's console. */
  forget(id: string): void {
    this.sessions.get(id)?.close();
    this.sessions.delete(id);
  }

  /** Closes every console (the lab is closing). */
  closeAll(): void {
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }

  private session(id: string): ConsoleSession {
    // get() throws for an unknown node, with the registry's message for people.
    const node = this.registry.get(id);
    let session = this.sessions.get(id);
    if (!session) {
      // The port the node listens on now, or the one it is configured with (a stopped node refuses, as redis-cli reports).
      session = new ConsoleSession(
        () => node.running?.port ?? node.stored.port,
        (lines, ended) => this.pushes.emit({ type: 'console', nodeId: id, lines, ended }),
        () => ({ host: nodeAddress(node).host, auth: authArgs(nodeAddress(node)) }),
      );
      this.sessions.set(id, session);
    }
    return session;
  }
}

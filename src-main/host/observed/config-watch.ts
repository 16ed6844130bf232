// Configuration changes as the nodes show them. Redis logs nothing for CONFIG SET, and MONITOR would
// put every command of a node under load through the lab, so the lab asks each running node for
// the settings that matter to replication with one CONFIG GET every CONFIG_POLL_MS, as any client
// can, and records each difference as a `config` event saying whether the lab changed it
// (observed/lab-intents.ts). The latest values are kept on each node for the warnings
// (replication/replication-warnings.ts). A node that refuses (NOAUTH, an ACL) is simply not watched.
import type { EventRecorder } from '../events/event-recorder.js';
import type { LabNode } from '../nodes/lab-node.js';
import { authArgs, nodeAddress } from '../nodes/node-address.js';
import { queryNode } from '../nodes/node-command.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import { causeText, type LabIntents } from './lab-intents.js';

export const CONFIG_POLL_MS = 2_000;

/** Settings that change how replication behaves, or that the warnings read. No secrets (masterauth, requirepass). */
export const WATCHED_SETTINGS = [
  'replica-read-only',
  'repl-backlog-size',
  'repl-backlog-ttl',
  'min-replicas-to-write',
  'min-replicas-max-lag',
  'repl-diskless-sync',
  'repl-timeout',
  'replica-priority',
  'appendonly',
  'save',
  'dir',
  'maxmemory',
  'maxmemory-policy',
  // Who can reach the node: nodes/exposure-warning.ts.
  'bind',
  'protected-mode',
] as const;

export class ConfigWatch {
  private timer: NodeJS.Timeout | null = null;
  /** Each node's last CONFIG GET, by run (a restarted node starts a new baseline). */
  private readonly values = new WeakMap<LabNode, { running: object; settings: Map<string, string>; withoutPassword: boolean }>();
  private readonly inFlight = new WeakSet<LabNode>();

  constructor(
    private readonly registry: NodeRegistry,
    private readonly events: EventRecorder,
    private readonly intents: LabIntents,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      for (const node of this.registry.all()) if (node.running && !this.inFlight.has(node)) void this.refresh(node);
    }, CONFIG_POLL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The node's watched settings as last read, or undefined if never read in this run. */
  settings(node: LabNode): ReadonlyMap<string, string> | undefined {
    return node.running && this.values.get(node)?.running === node.running ? this.values.get(node)!.settings : undefined;
  }

  /** Whether the last reading needed no AUTH: then the node's default user has no password. */
  reachedWithoutPassword(node: LabNode): boolean | undefined {
    return this.settings(node) ? this.values.get(node)!.withoutPassword : undefined;
  }

  /** Reads the node's settings now; records what changed since the last reading of the same run. */
  async refresh(node: LabNode): Promise<void> {
    const running = node.running;
    if (!running) return;
    this.inFlight.add(node);
    try {
      const address = nodeAddress(node);
      const reply = await queryNode(address, ['CONFIG', 'GET', ...WATCHED_SETTINGS]);
      if (node.running !== running) return;
      const settings = new Map<string, string>();
      for (let i = 0; i + 1 < reply.length; i += 2) settings.set(reply[i]!, reply[i + 1]!);
      const before = this.values.get(node);
      this.values.set(node, { running, settings, withoutPassword: authArgs(address) === null });
      if (!before || before.running !== running) return;
      for (const [name, value] of settings) {
        const old = before.settings.get(name);
        if (old === undefined || old === value) continue;
        const byLab = this.intents.claim(node.stored.id, 'config');
        this.events.record(node.stored, 'config', `${name} changed from ${show(old)} to ${show(value)}, ${causeText(byLab)}`);
      }
    } catch (error) {
      // NOAUTH, an ACL refusal, a blocked node: keep the last values; nothing to record. A NOAUTH
      // does say that the default user has a password now (set outside the lab).
      const known = this.values.get(node);
      if (known?.running === running && error instanceof Error && /^NOAUTH\b/.test(error.message)) known.withoutPassword = false;
    } finally {
      this.inFlight.delete(node);
    }
  }
}

function show(value: string): string {
  return value === '' ? '""' : value;
}

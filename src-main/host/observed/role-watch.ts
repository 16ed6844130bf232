// Events from what the nodes do, read from their INFO as the poller samples it (every 500 ms), for
// lab and external nodes alike: a role change (master, replica of host:port), a replica's link to its
// master going down or up (master_link_status), and the states of a failover the lab did not start
// (master_failover_state; the lab's own are recorded by replication/failover.ts). Each says whether
// the lab caused it (observed/lab-intents.ts). A node's first sample of a run (a new run_id: started,
// restarted, attached) sets the baseline and records nothing: the lab's own started event says it.
import type { EventRecorder } from '../events/event-recorder.js';
import type { LabNode } from '../nodes/lab-node.js';
import { causeText, type LabIntents } from './lab-intents.js';

interface Seen {
  runId: string;
  role: string;
  link: string | null;
  failoverState: string;
}

export class RoleWatch {
  private readonly seen = new WeakMap<LabNode, Seen>();

  constructor(
    private readonly events: EventRecorder,
    private readonly intents: LabIntents,
    /** A node's name for a master at host:port (a lab node, a relay to one, or an external node). */
    private readonly masterName: (node: LabNode) => string | null,
  ) {}

  /** InfoPoller.onSample: compares this sample with the node's previous one. */
  sample(node: LabNode, text: string): void {
    const info = node.info;
    if (!info) return;
    const field = (name: string): string => new RegExp(`^${name}:(.*?)\\r?$`, 'm').exec(text)?.[1] ?? '';
    const now: Seen = {
      runId: field('run_id'),
      role: info.role === 'master' ? 'master' : `replica of ${info.masterHost}:${info.masterPort}`,
      link: info.role === 'slave' ? (info.masterLinkStatus ?? 'down') : null,
      failoverState: field('master_failover_state') || 'no-failover',
    };
    const before = this.seen.get(node);
    this.seen.set(node, now);
    if (!before || before.runId !== now.runId) return;
    const { stored } = node;
    if (before.role !== now.role) {
      const byLab = this.intents.claim(stored.id, 'role', info.role === 'master' ? 'master' : 'replica');
      const name = info.role === 'slave' ? this.masterName(node) : null;
      const to = name ? `${now.role} (${name})` : now.role;
      this.events.record(stored, 'role', `role changed from ${before.role} to ${to}, ${causeText(byLab)}`);
    }
    if (now.link !== null && before.link !== null && before.link !== now.link && before.role === now.role) {
      this.events.record(stored, 'link', `link to its master (${now.role.replace('replica of ', '')}) ${now.link} (master_link_status)`);
    }
    if (before.failoverState !== now.failoverState && !this.intents.pending(stored.id, 'role')) {
      this.events.record(stored, 'failover', `master_failover_state ${before.failoverState} -> ${now.failoverState}, ${causeText(false)}`);
    }
  }
}

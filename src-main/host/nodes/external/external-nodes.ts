// External nodes: Redis servers on this or another machine, attached by host:port (with an optional
// user and password), shown and controlled like lab nodes (INFO, console, link, promote, failover)
// but never started, stopped or crashed by the lab; removing one only detaches it. Only the address
// the user gave is contacted. An address that does not answer INFO (refused, timed out, a wrong
// password) is refused with the reason, and nothing is stored.
import type { AttachNodeOptions, NodeSummary } from '../../../api/index.js';
import { messageOf } from '../../error-message.js';
import type { EventRecorder } from '../../events/event-recorder.js';
import type { InfoPoller } from '../../metrics/info-poller.js';
import type { NodeStore } from '../../store/node-store.js';
import type { LabNode } from '../lab-node.js';
import { addressText, nodeAddress, type NodeAddress } from '../node-address.js';
import { queryNodeText } from '../node-command.js';
import type { NodeRegistry } from '../node-registry.js';
import type { NodeSummaries } from '../node-summary.js';
import { externalRunningNode } from './external-node.js';

export class ExternalNodes {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly store: NodeStore,
    private readonly events: EventRecorder,
    private readonly info: InfoPoller,
    private readonly summaries: NodeSummaries,
    /** Registers a stored node with the lab (NodeLifecycle.track). */
    private readonly track: (stored: LabNode['stored']) => LabNode,
  ) {}

  /** LabApi.attachNode: checks that the address answers INFO, then stores and shows it. */
  async attach(options: AttachNodeOptions): Promise<NodeSummary> {
    if (this.registry.isClosing) throw new Error('the lab is closing');
    const address: NodeAddress = { host: options.host, port: options.port, user: options.user ?? null, password: options.password ?? null };
    const taken = this.registry.all().find((node) => sameAddress(nodeAddress(node), address));
    if (taken) throw new Error(`${addressText(address)} is already in the lab as ${taken.stored.name}`);
    try {
      await queryNodeText(address, ['INFO', 'server']);
    } catch (error) {
      throw new Error(`could not attach ${addressText(address)}: ${messageOf(error)}`);
    }
    const stored = this.store.insertExternal({
      name: options.name,
      port: address.port,
      external: { host: address.host, user: address.user ?? null, password: address.password ?? null },
    });
    const node = this.track(stored);
    this.connect(node);
    const as = address.password ? ` as ${address.user ?? 'default'} (password stored in lab.db)` : '';
    this.events.record(stored, 'attached', `external node at ${addressText(address)}${as}; the lab never starts, stops or crashes it`);
    await this.info.refresh(node);
    return this.summaries.of(node);
  }

  /** Starts watching an external node (attached now, or found in lab.db when the lab opens). */
  connect(node: LabNode): void {
    node.running = externalRunningNode(nodeAddress(node), (problem) => {
      const lastError = problem === null ? null : `unreachable at ${addressText(nodeAddress(node))}: ${problem}`;
      if (problem !== null) node.info = null;
      node.lastError = lastError;
    });
    node.status = 'running';
  }
}

/** Two addresses of the same server: the same port, and the same host (every loopback name is one host). */
function sameAddress(a: NodeAddress, b: NodeAddress): boolean {
  const host = (h: string): string => (h === 'localhost' || h === '::1' || /^127\./.test(h) ? '127.0.0.1' : h.toLowerCase());
  return a.port === b.port && host(a.host) === host(b.host);
}

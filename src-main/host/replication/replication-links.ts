// The links a user makes with the lab's controls. Redis's own rule is that a REPLICAOF sent to a
// node (by linkNode, or by anyone with redis-cli) changes only the running node, and is gone when it
// restarts unless CONFIG REWRITE saved it. A link made in the lab is the lab's configuration, like
// the node's port: it is stored in lab.db and given to the node as `--replicaof 127.0.0.1 <port>`
// every time the lab starts it, as one would start redis-server, so a restarted replica comes back
// as a replica and can resume with a partial resync from its RDB. What the screen shows as the
// topology is always what the nodes' INFO says (topology.ts), not what was stored here.
// The REPLICAOF names the link's relay (host/links/), not the master itself: a lab-owned TCP relay
// that passes every byte on unchanged, so that the link can be cut, stalled or slowed.
// A master with a requirepass set from the lab needs its replicas to authenticate: linking sets the
// replica's masterauth to it first (a setting like any other: CONFIG SET + CONFIG REWRITE).
import type { NodeSummary } from '../../api/index.js';
import type { EventRecorder } from '../events/event-recorder.js';
import type { LinkRelays } from '../links/link-relays.js';
import type { InfoPoller } from '../metrics/info-poller.js';
import { messageOf } from '../error-message.js';
import type { LabNode } from '../nodes/lab-node.js';
import { nodeAddress } from '../nodes/node-address.js';
import { sendNodeCommand } from '../nodes/node-command.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { NodeSummaries } from '../nodes/node-summary.js';
import type { NodeSettings } from '../settings/node-settings.js';
import type { NodeStore } from '../store/node-store.js';

export class ReplicationLinks {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly store: NodeStore,
    private readonly events: EventRecorder,
    private readonly info: InfoPoller,
    private readonly summaries: NodeSummaries,
    private readonly relays: LinkRelays,
    private readonly settings: NodeSettings,
  ) {}

  /** LabApi.linkNode: REPLICAOF (to the link's relay) over a client connection, as redis-cli would, then stored. */
  async link(id: string, masterId: string | null): Promise<NodeSummary> {
    const node = this.registry.get(id);
    const master = masterId === null ? null : this.registry.get(masterId);
    return node.queue.run(async () => {
      if (!node.running) throw new Error(`${node.stored.name} is not running; start it first`);
      // A lab master's requirepass becomes the replica's masterauth (an external master's
      // credentials are set below with masteruser, by masterCredentialCommands).
      const masterPassword = master && !master.stored.external ? (nodeAddress(master).password ?? undefined) : undefined;
      if (masterPassword !== undefined && node.stored.settings.masterauth !== masterPassword) {
        const refusal = await this.settings.applyNow(node, { masterauth: masterPassword });
        if (refusal) throw new Error(`${node.stored.name} refused masterauth: ${refusal.error}`);
      }
      const relay = master ? await this.relays.relayFor(id, master.stored.id) : null;
      const command = relay ? ['REPLICAOF', '127.0.0.1', String(relay.port)] : ['REPLICAOF', 'NO', 'ONE'];
      let reply: string;
      try {
        for (const credentials of masterCredentialCommands(master, this.storedMaster(node))) {
          await sendNodeCommand(nodeAddress(node), credentials);
        }
        reply = await sendNodeCommand(nodeAddress(node), command);
      } catch (error) {
        if (relay) this.relays.discard(relay);
        throw new Error(`${node.stored.name} answered ${command.join(' ')} with: ${messageOf(error)}`);
      }
      this.store.setReplicaOf(id, masterId);
      node.stored.replicaOf = masterId;
      if (master && relay) {
        this.relays.adopt(id, master.stored.id, relay);
        this.events.record(
          node.stored,
          'linked',
          `replicates from ${master.stored.name} (port ${master.stored.port}) through the lab's relay on port ${relay.port}: ${command.join(' ')} -> ${reply}`,
        );
      } else {
        this.relays.drop(id);
        this.events.record(node.stored, 'promoted', `promoted to master: ${command.join(' ')} -> ${reply}`);
      }
      await this.info.refresh(node);
      return this.summaries.of(node);
    });
  }

  /**
   * The `--replicaof` arguments the lab starts `node` with: its stored master, reached through the
   * link's relay (opened now if the link has none yet); none for a node the lab leaves to its config.
   */
  async startArgs(node: LabNode): Promise<{ master: LabNode; relayPort: number; argv: string[] } | null> {
    const master = this.storedMaster(node);
    if (!master) return null;
    const relay = await this.relays.relayFor(node.stored.id, master.stored.id);
    this.relays.adopt(node.stored.id, master.stored.id, relay);
    const credentials = masterCredentialCommands(master, undefined)
      .filter(([, , , value]) => value !== '')
      .flatMap(([, , name, value]) => [`--${name!}`, value!]);
    return { master, relayPort: relay.port, argv: ['--replicaof', '127.0.0.1', String(relay.port), ...credentials] };
  }

  /** The lab node this one is linked to, if that node still exists: the lab starts it as its replica. */
  storedMaster(node: LabNode): LabNode | undefined {
    return node.stored.replicaOf === null ? undefined : this.registry.find(node.stored.replicaOf);
  }

  /** A removed node is nobody's master any more (the store drops the same links in its delete). */
  forgetMaster(removedId: string): void {
    for (const other of this.registry.all()) if (other.stored.replicaOf === removedId) other.stored.replicaOf = null;
    this.relays.prune();
  }
}

/**
 * The CONFIG SETs a replica needs before it replicates from `master`: an external master with a
 * password is reached with its user and password (masteruser, masterauth); a replica whose previous
 * master was such a node has them cleared, or its AUTH would be refused by a master without one and
 * the sync would stop at "Unable to AUTH to MASTER". Lab masters otherwise leave these settings alone.
 */
function masterCredentialCommands(master: LabNode | null, previous: LabNode | undefined): string[][] {
  const credentials = master?.stored.external?.password ? master.stored.external : null;
  if (credentials) {
    return [
      ['CONFIG', 'SET', 'masteruser', credentials.user ?? ''],
      ['CONFIG', 'SET', 'masterauth', credentials.password!],
    ];
  }
  if (previous?.stored.external?.password) {
    return [
      ['CONFIG', 'SET', 'masteruser', ''],
      ['CONFIG', 'SET', 'masterauth', ''],
    ];
  }
  return [];
}

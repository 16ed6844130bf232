// A node's settings (api/settings.ts), read and changed as any client would: CONFIG GET, CONFIG SET,
// CONFIG REWRITE over TCP (nodes/node-command.ts), so the node itself judges every value and
// answers in its own words, and requirepass/ACLs apply to the lab as to everyone.
//
// Why CONFIG SET + CONFIG REWRITE, and only on a running node: the node's redis.conf is its own
// (nodes/node-files.ts) and CONFIG REWRITE writes it exactly as redis-server would, keeping the
// user's other lines; editing the file of a stopped node by hand would be a second writer of the
// same format, and nobody would have checked the values. Every setting offered is changeable at run
// time in Redis 7.0 (config/directives.ts marks them `mutable`; test/unit/host/settings-names.test.ts
// keeps it so), so no setting here needs a restart. A new node gets its settings the same way, right
// after its first start (NodeLifecycle.add).
//
// All or nothing: the current values are read first (CONFIG GET), the changes are set one by one,
// and if the node refuses one (or the rewrite fails) those already set are put back, so neither the
// running node nor its redis.conf is left half changed. One CONFIG SET per setting, rather than
// Redis 7's multi-pair CONFIG SET (atomic too), so the refused setting is known exactly and shown
// next to its field.
//
// lab.db keeps a copy (StoredNode.settings) of what the node last said, refreshed after every start
// and change, so the settings travel with the node (export, the panel of a stopped node) and the
// lab knows the requirepass its own connections must send (nodes/node-address.ts).
import {
  NODE_SETTING_NAMES,
  type ApplySettingsResult,
  type NodeSettingName,
  type NodeSettingValues,
  type NodeSettingsView,
  type SettingsRefusal,
} from '../../api/index.js';
import { messageOf } from '../error-message.js';
import type { LabNode } from '../nodes/lab-node.js';
import { queryNode, sendNodeCommand } from '../nodes/node-command.js';
import { nodeAddress, type NodeAddress } from '../nodes/node-address.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { NodeStore } from '../store/node-store.js';
import type { LabIntents } from '../observed/lab-intents.js';

export class NodeSettings {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly store: NodeStore,
    /** Each CONFIG SET is announced here first, so the observed config change counts as the lab's. */
    private readonly intents: LabIntents,
  ) {}

  private expectConfigChange(node: LabNode): void {
    this.intents.expect(node.stored.id, 'config');
  }

  /** LabApi.nodeSettings: the running node's values now, else lab.db's copy. */
  async view(id: string): Promise<NodeSettingsView> {
    const node = this.registry.get(id);
    if (node.running) await this.refresh(node);
    return { nodeId: id, values: { ...node.stored.settings }, live: node.running !== null };
  }

  /** LabApi.applyNodeSettings, on the node's queue so no start, stop or link lands in between. */
  async apply(id: string, changes: NodeSettingValues): Promise<ApplySettingsResult> {
    const node = this.registry.get(id);
    const refused = await node.queue.run(() => this.applyNow(node, changes));
    if (!refused && changes.requirepass !== undefined) await this.followPassword(node);
    return { refused, settings: await this.view(id) };
  }

  /**
   * A master's new requirepass would cut off the replicas the lab linked to it: each running one
   * gets it as masterauth (as linking does), so the links come back up by themselves. A replica
   * that refuses keeps its old masterauth and shows its link down, as redis-server's would.
   */
  private async followPassword(master: LabNode): Promise<void> {
    const masterauth = master.stored.settings.requirepass ?? '';
    for (const replica of this.registry.all()) {
      if (replica.stored.replicaOf !== master.stored.id || !replica.running) continue;
      if ((replica.stored.settings.masterauth ?? '') === masterauth) continue;
      await replica.queue.run(() => this.applyNow(replica, { masterauth })).catch(() => undefined);
    }
  }

  /**
   * Applies `changes` to the running node, all or nothing (see the top of this file); the caller
   * holds the node's queue. Resolves with the refusal, or null when everything was applied and kept.
   */
  async applyNow(node: LabNode, changes: NodeSettingValues): Promise<SettingsRefusal | null> {
    if (!node.running) throw new Error(`${node.stored.name} is not running: start it to change its settings (the node checks every value)`);
    const names = (Object.keys(changes) as NodeSettingName[]).filter((name) => changes[name] !== undefined);
    if (names.length === 0) return null;
    // Whoever sets requirepass is authenticated on the connection that set it; the lab's next
    // connection needs the new password, so it follows every requirepass it sets or puts back.
    let address: NodeAddress = nodeAddress(node);
    const set = async (name: NodeSettingName, value: string): Promise<void> => {
      this.expectConfigChange(node);
      await sendNodeCommand(address, ['CONFIG', 'SET', name, value]);
      if (name === 'requirepass') address = { ...address, password: value || null };
    };
    const before = pairs(await queryNode(address, ['CONFIG', 'GET', ...names]));
    const applied: NodeSettingName[] = [];
    let refusal: SettingsRefusal | null = null;
    for (const name of names) {
      try {
        await set(name, changes[name]!);
        applied.push(name);
      } catch (error) {
        refusal = { name, error: messageOf(error) };
        break;
      }
    }
    if (!refusal) {
      try {
        await sendNodeCommand(address, ['CONFIG', 'REWRITE']);
      } catch (error) {
        refusal = { name: null, error: `CONFIG REWRITE: ${messageOf(error)}` };
      }
    }
    if (refusal) {
      const notRestored: string[] = [];
      for (const name of applied.reverse()) {
        await set(name, before[name] ?? '').catch((error: unknown) => notRestored.push(`${name}: ${messageOf(error)}`));
      }
      if (notRestored.length > 0) refusal.error += `; could not put back ${notRestored.join(', ')}`;
    }
    this.mirror(node, await this.read(address));
    return refusal;
  }

  /** Reads the running node's settings into lab.db's copy; a node that does not answer keeps the old copy. */
  async refresh(node: LabNode): Promise<void> {
    if (!node.running) return;
    try {
      this.mirror(node, await this.read(nodeAddress(node)));
    } catch {
      // NOAUTH (a requirepass set outside the lab) or a busy node: the copy stays as it was.
    }
  }

  private async read(address: NodeAddress): Promise<NodeSettingValues> {
    const all = pairs(await queryNode(address, ['CONFIG', 'GET', ...NODE_SETTING_NAMES]));
    const values: NodeSettingValues = {};
    for (const name of NODE_SETTING_NAMES) if (all[name] !== undefined) values[name] = all[name];
    return values;
  }

  private mirror(node: LabNode, values: NodeSettingValues): void {
    node.stored.settings = values;
    this.store.setSettings(node.stored.id, values);
  }
}

/** CONFIG GET's flat name, value, name, value... reply as a record. */
function pairs(reply: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) record[reply[i]!] = reply[i + 1]!;
  return record;
}

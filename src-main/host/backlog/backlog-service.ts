// A running master's backlog as the lab shows it: the master's own INFO replication (read now), the
// write rate from the history's offset readings, and every replica of it placed in the range:
//   attached now          the offset it acknowledged, from the master's slaveN line;
//   running, link down    the offset it has, from its own INFO;
//   stopped (a lab node linked to this master)   the repl-id and repl-offset of its dump.rdb,
//                         which is what it asks to continue from when it starts again (unless its
//                         config loads an AOF, which holds no position: then it asks for a full sync).
import type { BacklogReplica, BacklogView } from '../../api/index.js';
import type { HistoryRecorder } from '../history/history-recorder.js';
import { infoSections } from '../metrics/info-parser.js';
import type { LabNode } from '../nodes/lab-node.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import { configHasAof, readSavedData } from '../replication/saved-data.js';
import { masterBacklog, resumeVerdict, secondsAt, type MasterBacklog } from './backlog-math.js';

/** The write rate is the master's offset growth over this much of its recent readings. */
export const WRITE_RATE_WINDOW_MS = 10_000;

export class BacklogService {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly recorder: HistoryRecorder,
  ) {}

  async backlog(masterId: string): Promise<BacklogView> {
    const master = this.registry.get(masterId);
    if (!master.running) throw new Error(`${master.stored.name} is not running, so it has no backlog to show`);
    const text = await master.running.info('replication');
    const sampledAt = Date.now();
    const fields = infoSections(text).find((section) => section.title.toLowerCase() === 'replication')?.fields ?? [];
    if (new Map(fields).get('role') !== 'master')
      throw new Error(`${master.stored.name} is a replica: its master's backlog is the one its PSYNC would use`);
    const backlog = masterBacklog(fields);
    const writeRate = this.recorder.writeRate(masterId, WRITE_RATE_WINDOW_MS);
    const replicas = await this.replicas(master, fields, backlog, writeRate);
    return {
      masterId,
      ...backlog,
      writeRate,
      backlogSeconds: secondsAt(backlog.size, writeRate),
      replicas,
      sampledAt,
    };
  }

  private async replicas(
    master: LabNode,
    fields: ReadonlyArray<readonly [string, string]>,
    backlog: MasterBacklog,
    writeRate: number | null,
  ): Promise<BacklogReplica[]> {
    const byPort = new Map(this.registry.all().map((node) => [node.running?.port ?? node.stored.port, node]));
    const placed: BacklogReplica[] = [];
    const seen = new Set<LabNode>();
    const place = (
      node: LabNode | undefined,
      port: number,
      state: string,
      source: BacklogReplica['source'],
      replid: string | null,
      offset: number | null,
      why?: string,
    ): void => {
      const verdict = why ? { canResume: false, reason: why, bytesLeft: null } : resumeVerdict(backlog, replid, offset);
      placed.push({
        id: node?.stored.id ?? null,
        name: node?.stored.name ?? `127.0.0.1:${port}`,
        port,
        state,
        source,
        offset,
        replid,
        ...verdict,
        secondsLeft: verdict.bytesLeft === null ? null : secondsAt(verdict.bytesLeft, writeRate),
      });
      if (node) seen.add(node);
    };

    // Attached now: the master's slaveN lines.
    for (const [field, value] of fields) {
      if (!/^slave\d+$/.test(field)) continue;
      const parts = new Map(value.split(',').map((part) => part.split('=') as [string, string]));
      const port = Number(parts.get('port'));
      const state = parts.get('state') ?? '';
      // Until its first sync is done a replica has no position of its own: cut off now, it would start over.
      const syncing =
        state === 'online' ? undefined : `it is still in its first sync (${state}): cut off now, it would ask for a full sync again`;
      const node = byPort.get(port);
      const acked = Number(parts.get('offset'));
      // A replica acknowledges once a second; until its first ACK on this link the master shows 0.
      // Then the position it has is the one in its own INFO.
      const own = node?.running ? node.info : null;
      if (acked === 0 && !syncing && own?.role === 'slave' && own.masterReplid === backlog.replid) {
        place(node, port, state, 'replica-info', own.masterReplid, own.masterReplOffset);
      } else {
        place(node, port, state, 'ack', backlog.replid, acked, syncing);
      }
    }
    // Lab nodes that replicate from this master but are not attached: link down, or stopped.
    const masterPort = master.running!.port;
    for (const node of this.registry.all()) {
      if (node === master || seen.has(node)) continue;
      const info = node.running ? node.info : null;
      // Linked in the lab (through the lab's relay, so its master_port is the relay's), or by a REPLICAOF typed to this port.
      const replicatesHere = node.stored.replicaOf === master.stored.id || info?.masterPort === masterPort;
      if (info && info.role === 'slave' && replicatesHere) {
        place(node, node.running!.port, 'link down', 'replica-info', info.masterReplid, info.masterReplOffset);
      } else if (!node.running && node.stored.replicaOf === master.stored.id) {
        if (configHasAof(node)) {
          place(
            node,
            node.stored.port,
            'stopped',
            'none',
            null,
            null,
            'its config turns the AOF on, and an AOF holds no replication position: it would ask for a full sync',
          );
          continue;
        }
        const saved = await readSavedData(node);
        if (!saved || saved.replId === null || saved.offset === null) {
          place(
            node,
            node.stored.port,
            'stopped',
            'none',
            null,
            null,
            'it has no dump.rdb with a replication position: it would start empty and ask for a full sync',
          );
        } else {
          place(node, node.stored.port, 'stopped', 'rdb', saved.replId, saved.offset);
        }
      }
    }
    return placed;
  }
}

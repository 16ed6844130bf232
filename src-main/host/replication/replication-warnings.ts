// Warnings where the replication articles warn, each computed from what the nodes report now (their
// INFO and their watched settings, observed/config-watch.ts) and from the recorded history of a
// master's offset, so each one disappears as soon as the cause is fixed:
//   writable-replica  a replica with replica-read-only no: writes made on it reach no other node,
//                     and the next full resync from its master throws them away
//   small-backlog     a master whose repl-backlog-size holds less than BACKLOG_MIN_SECONDS of writes at
//                     its current rate: a replica away for longer needs a full resync
//   min-replicas      min-replicas-to-write set, and fewer replicas online with lag <= min-replicas-max-lag:
//                     the master refuses writes with -NOREPLICAS
//   shared-dir        two nodes on one machine with the same dir: each one's dump.rdb and AOF overwrite the other's
// (Beside them: the REPLICAOF loop, replication-cycles.ts, and the stale-master check, stale-master.ts.)
import type { NodeWarning } from '../../api/index.js';
import type { LabNode } from '../nodes/lab-node.js';

/** A typical outage a replica should survive with a partial resync (a restart, a network blip). */
export const BACKLOG_MIN_SECONDS = 60;
/** The write rate is read over this much of the offset history. */
export const WRITE_RATE_WINDOW_MS = 10_000;

export interface WarningSources {
  /** The node's watched settings (CONFIG GET), if read in this run. */
  settings(node: LabNode): ReadonlyMap<string, string> | undefined;
  /** A master's writes in bytes of replication stream per second, from the offset history. */
  writeRate(nodeId: string, windowMs: number): number | null;
  /** Whether the lab's last reading of the node's settings needed no password (undefined: not read in this run). */
  reachedWithoutPassword(node: LabNode): boolean | undefined;
}

/** Every node's warnings, by id (shared-dir needs all nodes at once). */
export function replicationWarnings(nodes: readonly LabNode[], sources: WarningSources): Map<string, NodeWarning[]> {
  const warnings = new Map<string, NodeWarning[]>();
  const add = (node: LabNode, warning: NodeWarning): void => {
    const list = warnings.get(node.stored.id) ?? [];
    list.push(warning);
    warnings.set(node.stored.id, list);
  };
  const byDir = new Map<string, LabNode[]>();
  for (const node of nodes) {
    const info = node.running ? node.info : null;
    const settings = sources.settings(node);
    if (!info) continue;
    if (info.role === 'slave' && settings?.get('replica-read-only') === 'no') {
      add(node, {
        kind: 'writable-replica',
        message:
          'Writable replica (replica-read-only no): writes made on it reach neither its master nor the other replicas, and its next full resync discards them.',
      });
    }
    if (info.role === 'master') {
      const backlog = Number(settings?.get('repl-backlog-size') ?? field(info.replication, 'repl_backlog_size'));
      const rate = sources.writeRate(node.stored.id, WRITE_RATE_WINDOW_MS);
      if (info.connectedSlaves > 0 && rate !== null && rate > 0 && backlog > 0 && backlog / rate < BACKLOG_MIN_SECONDS) {
        add(node, {
          kind: 'small-backlog',
          message:
            `Backlog too small: repl-backlog-size ${backlog} bytes holds ${(backlog / rate).toFixed(1)} s of writes at the current ` +
            `${Math.round(rate)} bytes/s; a replica away longer than that needs a full resync. ` +
            `At least ${Math.ceil(rate * BACKLOG_MIN_SECONDS)} bytes would cover ${BACKLOG_MIN_SECONDS} s.`,
        });
      }
      const needed = Number(settings?.get('min-replicas-to-write') ?? 0);
      const maxLag = Number(settings?.get('min-replicas-max-lag') ?? 10);
      if (needed > 0 && maxLag > 0) {
        const good = info.replicas.filter((replica) => replica.state === 'online' && replica.lag <= maxLag).length;
        if (good < needed) {
          add(node, {
            kind: 'min-replicas',
            message:
              `min-replicas-to-write ${needed} not met: ${good} replica${good === 1 ? '' : 's'} online with lag <= ${maxLag} s ` +
              `(connected_slaves ${info.connectedSlaves}), so the master refuses writes with NOREPLICAS.`,
          });
        }
      }
    }
    const dir = settings?.get('dir');
    if (dir) {
      const key = `${node.stored.external?.host ?? '127.0.0.1'} ${dir}`;
      byDir.set(key, [...(byDir.get(key) ?? []), node]);
    }
  }
  for (const [key, sharing] of byDir) {
    if (sharing.length < 2) continue;
    const dir = key.slice(key.indexOf(' ') + 1);
    for (const node of sharing) {
      const others = sharing.filter((other) => other !== node).map((other) => other.stored.name);
      add(node, {
        kind: 'shared-dir',
        message: `Shares its directory ${dir} with ${others.join(', ')}: each one's dump.rdb and AOF files overwrite the other's.`,
      });
    }
  }
  return warnings;
}

function field(fields: ReadonlyArray<[string, string]>, name: string): string | undefined {
  return fields.find(([key]) => key === name)?.[1];
}

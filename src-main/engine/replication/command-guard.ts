// The commands replication refuses before they run (server.c processCommand), in Redis's order:
//
//   NOREPLICAS  a master with min-replicas-to-write set refuses writes while fewer replicas than
//               that acknowledged the stream within min-replicas-max-lag seconds;
//   READONLY    a replica with replica-read-only refuses writes, except from its master;
//   MASTERDOWN  a replica with replica-serve-stale-data no, whose link is down, answers only
//               the commands flagged `stale` (INFO, PING, REPLICAOF...).
import type { CommandGuard } from '../core/executor.js';
import type { Command } from '../core/command-table.js';
import type { Client } from '../core/client.js';
import type { Replication } from './replication.js';

export const NOREPLICAS_ERROR = 'NOREPLICAS Not enough good replicas to write.';
export const READONLY_ERROR = "READONLY You can't write against a read only replica.";
export const MASTERDOWN_ERROR = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

/** A write, or an EXEC whose queue holds one (the queue is what runs). */
function isWrite(client: Client, command: Command): boolean {
  if (command.flags.includes('write')) return true;
  return command.name === 'exec' && (client.multi ?? []).some((q) => q.command.flags.includes('write'));
}

/** May only run while the data is current: not flagged `stale` (or an EXEC queueing such). */
function deniedWhenStale(client: Client, command: Command): boolean {
  if (command.name === 'exec') return (client.multi ?? []).some((q) => !q.command.flags.includes('stale'));
  return !command.flags.includes('stale');
}

export function replicationGuard(replication: Replication): CommandGuard {
  return (client, command) => {
    const config = replication.server.config;
    if (!replication.isReplica) {
      if (isWrite(client, command) && !replication.replicas.enoughGoodReplicas()) return NOREPLICAS_ERROR;
      return null;
    }
    // The master's stream must always apply (mustObeyClient).
    if (client.isMaster) return null;
    if (config.bool('replica-read-only') && isWrite(client, command)) return READONLY_ERROR;
    if (!replication.linkUp && !config.bool('replica-serve-stale-data') && deniedWhenStale(client, command)) {
      return MASTERDOWN_ERROR;
    }
    return null;
  };
}

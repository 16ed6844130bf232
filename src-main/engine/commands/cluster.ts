// The cluster commands a client may send to any node (ASKING, READONLY, READWRITE): a node runs
// with cluster support disabled, so it answers them as redis-server does without `cluster-enabled`.
import { defineCommand, type CommandSpec } from '../core/command-table.js';

const DISABLED = 'ERR This instance has cluster support disabled';

const clusterOnly = (name: string, summary: string, flags: ('loading' | 'stale')[]): CommandSpec =>
  defineCommand({
    name,
    arity: 1,
    flags: [...flags, 'fast'],
    acl: ['connection'],
    summary,
    since: '3.0.0',
    group: 'cluster',
    complexity: 'O(1)',
    handler: (client) => client.reply.error(DISABLED),
  });

export const clusterCommands: CommandSpec[] = [
  clusterOnly('asking', 'Sent by cluster clients after an -ASK redirect', []),
  clusterOnly('readonly', 'Enables read queries for a connection to a cluster replica node', ['loading', 'stale']),
  clusterOnly('readwrite', 'Disables read queries for a connection to a cluster replica node', ['loading', 'stale']),
];

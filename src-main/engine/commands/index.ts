// Every command family a node serves, in the order COMMAND lists them. To add a family, create its
// module (see the comment at the top of ../core/command-table.ts) and list it here; a family whose
// handlers need ACLs, persistence or replication is a function of the node's services
// (node-services.ts).
import type { CommandSpec } from '../core/command-table.js';
import type { NodeServices } from './node-services.js';
import { connectionCommands } from './connection.js';
import { stringCommands } from './strings.js';
import { keyCommands } from './keys.js';
import { expireCommands } from './expire.js';
import { objectCommands } from './object.js';
import { bitCommands } from './bitops.js';
import { serverCommands } from './server.js';
import { introspectionCommands } from './introspection.js';
import { transactionCommands } from './transactions.js';
import { pubsubCommands } from './pubsub.js';
import { clientCommands } from './client.js';
import { configCommands } from './config.js';
import { diagnosticCommands } from './diagnostics.js';
import { hashCommands } from './hashes.js';
import { listCommands } from './lists.js';
import { setCommands } from './sets.js';
import { zsetCommands } from './zsets.js';
import { geoCommands } from './geo.js';
import { persistenceCommands } from './persistence.js';
import { debugCommands } from './debug.js';
import { dumpRestoreCommands } from './dump-restore.js';
import { migrateCommands } from './migrate.js';
import { lolwutCommands } from './lolwut.js';
import { clusterCommands } from './cluster.js';
import { moduleCommands } from './module.js';
import { replicationCommands } from './replication.js';
import { aclCommands } from './acl.js';
import { memoryCommands } from './memory.js';
import { hyperloglogCommands } from './hyperloglog.js';
import { sortCommands } from './sort.js';
import { streamCommands } from './streams.js';
import { streamGroupCommands } from './stream-groups.js';
import { streamReadGroupCommands } from './stream-readgroup.js';
import { streamInfoCommands } from './stream-info.js';
import { scriptingCommands } from './scripting.js';
import { functionCommands } from './functions.js';

export function commandFamilies(node: NodeServices): (readonly CommandSpec[])[] {
  return [
    connectionCommands,
    stringCommands,
    keyCommands,
    expireCommands,
    objectCommands,
    bitCommands,
    serverCommands(node),
    introspectionCommands,
    transactionCommands,
    pubsubCommands,
    clientCommands,
    configCommands(node),
    diagnosticCommands,
    hashCommands,
    listCommands,
    setCommands,
    zsetCommands,
    geoCommands,
    persistenceCommands(node),
    debugCommands(node),
    dumpRestoreCommands,
    migrateCommands,
    lolwutCommands,
    clusterCommands,
    moduleCommands,
    replicationCommands(node),
    aclCommands(node),
    memoryCommands,
    hyperloglogCommands,
    sortCommands,
    streamCommands,
    streamGroupCommands,
    streamReadGroupCommands,
    streamInfoCommands,
    scriptingCommands(node),
    functionCommands(node),
  ];
}

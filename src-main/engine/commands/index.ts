// Every command family a node serves. To add a family, create its module (see the comment at the
// top of core/command-table.ts) and list its array here.
import type { CommandSpec } from '../core/command-table.js';
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
import './debug.js'; // registers the engine's DEBUG subcommands
import { hashCommands } from './hashes.js';
import { listCommands } from './lists.js';
import { setCommands } from './sets.js';
import { zsetCommands } from './zsets.js';
import { persistenceCommands } from './persistence.js';
import { dumpRestoreCommands } from './dump-restore.js';
import { replicationCommands } from './replication.js';
import { aclCommands } from './acl.js';
import { memoryCommands } from './memory.js';

export const ALL_FAMILIES: readonly (readonly CommandSpec[])[] = [
  connectionCommands,
  stringCommands,
  keyCommands,
  expireCommands,
  objectCommands,
  bitCommands,
  serverCommands,
  introspectionCommands,
  transactionCommands,
  pubsubCommands,
  clientCommands,
  configCommands,
  diagnosticCommands,
  hashCommands,
  listCommands,
  setCommands,
  zsetCommands,
  persistenceCommands,
  dumpRestoreCommands,
  replicationCommands,
  aclCommands,
  memoryCommands,
];

// Every command family a node serves. To add a family, create its module (see the comment at the
// top of commands/table.ts) and list its array here.
import type { CommandSpec } from './table.js';
import { connectionCommands } from './connection.js';
import { stringCommands } from './strings.js';
import { keyCommands } from './keys.js';
import { serverCommands } from './server.js';
import { introspectionCommands } from './introspection.js';

export const ALL_FAMILIES: readonly (readonly CommandSpec[])[] = [
  connectionCommands,
  stringCommands,
  keyCommands,
  serverCommands,
  introspectionCommands,
];

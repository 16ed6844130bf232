// The services of a node above its core that command handlers use: ACLs, persistence,
// replication and scripting. Families that need one export a function of a NodeServices that returns their
// specs (see persistence.ts); the node's composition root (../node.ts) passes itself.
//
// The root builds the command table before some of these services exist (the ACLs index the
// table's commands), so a family keeps the NodeServices and reads a service when a handler
// runs, never while the family is being built.
import type { Server } from '../core/server.js';
import type { Acl } from '../acl/acl.js';
import type { NodePersistence } from '../persistence/node-persistence.js';
import type { Replication } from '../replication/replication.js';
import type { Scripting } from '../scripting/scripting.js';
import type { Functions } from '../scripting/functions.js';

export interface NodeServices {
  readonly server: Server;
  readonly acl: Acl;
  readonly persistence: NodePersistence;
  readonly replication: Replication;
  readonly scripting: Scripting;
  readonly functions: Functions;
}

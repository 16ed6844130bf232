// The lab's nodes: what the renderer sees of each one and the calls that create, start, stop,
// restart, crash and remove them.
import type { NodeLiveInfo } from './metrics.js';
import { isRecord, nodeId, type ParamChecks } from './param-checks.js';
import type { MasterPointer } from './replication.js';
import { settingValues, type NodeSettingValues } from './settings.js';

export type NodeStatus = 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed';

export interface NodeSettings {
  port: number;
  /** Extra redis.conf directives for this node, e.g. [['appendonly', 'yes']]. */
  directives: Array<[string, ...string[]]>;
}

export interface NodeSummary {
  id: string;
  name: string;
  port: number;
  status: NodeStatus;
  /** The node's own directory (its `dir`: RDB/AOF files, redis.conf, log). */
  dir: string;
  /** The command a user types to talk to this node. */
  cliCommand: string;
  info: NodeLiveInfo | null;
  /** This running replica's master according to its own INFO; null for a master or a node that is not running. */
  master: MasterPointer | null;
  /**
   * The lab node this node is configured to replicate from: set by linkNode, stored in the lab, and
   * applied (REPLICAOF) every time the lab starts the node. Null: the lab leaves the node's role to
   * its own redis.conf, as redis-server would.
   */
  replicaOf: string | null;
  /**
   * Set when replication cannot work, as read from the nodes' INFO: this node is told to replicate
   * from itself, or is one of nodes that replicate from each other in a circle. Every node in such a
   * cycle is a read-only replica with no real master behind it, so nobody accepts writes: the links
   * stay down (each answers the next one's PSYNC with -NOMASTERLINK) or, if they linked up in the
   * moment of the switch, pass the same stream round in a circle. Node ids in replication order,
   * starting with this node: each replicates from the next, the last from the first; a node
   * replicating from itself is [id].
   */
  replicationCycle: string[] | null;
  /** Why the node is crashed or failed to start, in the node's own words. */
  lastError: string | null;
  /**
   * Set for an external node (attachNode): a Redis server the lab reaches at this address and never
   * starts, stops or crashes. Its password is never sent, only whether it has one.
   */
  external: { host: string; user: string | null; hasPassword: boolean } | null;
  /** What the replication articles warn about, read from this node's INFO and settings now; empty when all is well. */
  warnings: NodeWarning[];
}

export interface NodeWarning {
  kind: 'writable-replica' | 'small-backlog' | 'min-replicas' | 'shared-dir' | 'exposed-node';
  /** Says what is wrong, from the node's own numbers, and what it leads to. */
  message: string;
}

export interface AddNodeOptions {
  name?: string;
  /** A specific port; by default the next free one from 6379 up. */
  port?: number;
  /**
   * Settings the node is created with (see settings.ts): applied as applyNodeSettings would once it
   * has started; if the node refuses one, the new node is removed with its directory again.
   */
  settings?: NodeSettingValues;
}

export interface AttachNodeOptions {
  /** Where the server listens: a host name or IP address, and a port. Only this address is contacted. */
  host: string;
  port: number;
  /** AUTH user password on each connection (Redis 6+ ACL user); the default user when only a password is given. */
  user?: string;
  password?: string;
  /** By default host:port. */
  name?: string;
}

export interface RemoveNodeOptions {
  deleteDir: boolean;
}

export interface NodesApi {
  listNodes(): Promise<NodeSummary[]>;
  addNode(options?: AddNodeOptions): Promise<NodeSummary>;
  startNode(id: string): Promise<NodeSummary>;
  /** Graceful stop (SHUTDOWN as configured: with save points the node saves its RDB first). */
  stopNode(id: string): Promise<NodeSummary>;
  /** A graceful stop of the running node, then a start from the same config and files. */
  restartNode(id: string): Promise<NodeSummary>;
  /**
   * Stops the node if it runs and forgets it. Its directory (data, config, log) is deleted only with
   * `deleteDir: true`; kept, it stays on disk under the lab's nodes/ folder (ids are never reused).
   */
  removeNode(id: string, options: RemoveNodeOptions): Promise<void>;
  /**
   * Attaches a Redis server by address as an external node: shown and controlled like a lab node
   * (INFO, console, link, promote, failover), never started, stopped or crashed by the lab; removeNode
   * only detaches it (deleteDir must be false). Rejects, storing nothing, if the address does not answer INFO.
   */
  attachNode(options: AttachNodeOptions): Promise<NodeSummary>;
  /** Terminates the node's thread at once, as a power cut would: no final save, connections just drop. */
  crashNode(id: string): Promise<NodeSummary>;
}

/**
 * The whole node list, pushed after every INFO poll (every 500 ms, whether or not a node runs) and
 * whenever a node is created, removed or changes status.
 */
export type NodesPush = { type: 'nodes'; nodes: NodeSummary[] } | LabClosingPush;

/**
 * The lab is closing (the app quits): its nodes stop gracefully, masters before their replicas so
 * that a master's SHUTDOWN can wait for its replicas to catch up. Pushed when each step begins and
 * once more when every node has stopped (`stopping` empty, `stopped === total`).
 */
export interface LabClosingPush {
  type: 'closing';
  /** Nodes that were running when the lab began to close. */
  total: number;
  stopped: number;
  /** Names of the nodes stopping now. */
  stopping: string[];
}

export const NODES_PARAM_CHECKS = {
  listNodes: () => [],
  addNode: (params) => [addNodeOptions(params[0])],
  startNode: (params) => [nodeId(params[0])],
  stopNode: (params) => [nodeId(params[0])],
  restartNode: (params) => [nodeId(params[0])],
  // The choice must be explicit: a dropped parameter must neither delete data nor keep it by surprise.
  removeNode: (params) => {
    const options = params[1];
    if (!isRecord(options) || typeof options.deleteDir !== 'boolean') throw new Error('removeNode needs { deleteDir: true | false }');
    return [nodeId(params[0]), { deleteDir: options.deleteDir }];
  },
  crashNode: (params) => [nodeId(params[0])],
  attachNode: (params) => [attachNodeOptions(params[0])],
} satisfies ParamChecks<NodesApi>;

function addNodeOptions(value: unknown): AddNodeOptions | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new Error('addNode options must be an object');
  const options: AddNodeOptions = {};
  if (value.name !== undefined) {
    if (typeof value.name !== 'string' || value.name.trim().length === 0 || value.name.length > 64) {
      throw new Error('a node name must be 1 to 64 characters');
    }
    options.name = value.name.trim();
  }
  if (value.port !== undefined) {
    if (!Number.isInteger(value.port) || (value.port as number) < 1 || (value.port as number) > 65535) {
      throw new Error('a port must be an integer from 1 to 65535');
    }
    options.port = value.port as number;
  }
  if (value.settings !== undefined) options.settings = settingValues(value.settings);
  return options;
}

function attachNodeOptions(value: unknown): AttachNodeOptions {
  if (!isRecord(value)) throw new Error('attachNode needs { host, port }');
  const { host, port, user, password, name } = value;
  if (typeof host !== 'string' || !/^[A-Za-z0-9.:_-]{1,253}$/.test(host.trim())) {
    throw new Error('a host must be a host name or IP address');
  }
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
    throw new Error('a port must be an integer from 1 to 65535');
  }
  const options: AttachNodeOptions = { host: host.trim(), port: port as number };
  if (user !== undefined && user !== '') {
    if (typeof user !== 'string' || user.length > 128 || /\s/.test(user))
      throw new Error('a user name must be up to 128 characters, no spaces');
    options.user = user;
  }
  if (password !== undefined && password !== '') {
    if (typeof password !== 'string' || password.length > 512) throw new Error('a password must be a string of up to 512 characters');
    options.password = password;
  }
  if (options.user !== undefined && options.password === undefined) throw new Error('a user needs a password');
  if (name !== undefined && name !== '') {
    if (typeof name !== 'string' || name.trim().length === 0 || name.length > 64) throw new Error('a node name must be 1 to 64 characters');
    options.name = name.trim();
  }
  return options;
}

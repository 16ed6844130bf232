// The one typed API between the renderer and the lab host.
//
// The renderer calls `LabApi` methods and subscribes to `LabPush` messages. It never knows the
// transport: in the Electron window the calls travel over IPC through the preload whitelist
// (src-main/electron/preload.ts), in browser mode over a WebSocket (src-main/host/browser-server.ts).
// Both transports carry exactly the shapes below, and both check the method name against
// LAB_METHODS, so this file is the whitelist.
//
// This file must stay free of Node, Electron and Vue imports: both sides import it.

export type NodeStatus = 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed';

/** Live fields read from the node's own INFO output (never computed by the host). */
export interface NodeLiveInfo {
  /** When the host read this INFO, ms since the epoch. */
  sampledAt: number;
  role: 'master' | 'slave';
  uptimeSeconds: number;
  connectedClients: number;
  usedMemory: number;
  keys: number;
  opsPerSec: number;
  connectedSlaves: number;
  masterReplOffset: number;
  masterReplid: string;
  masterHost?: string;
  masterPort?: number;
  masterLinkStatus?: 'up' | 'down';
  /** The master's `slaveN:ip=..,port=..,state=..,offset=..,lag=..` lines, parsed, in the node's order. */
  replicas: AttachedReplicaInfo[];
  /** Every field of `INFO replication`, verbatim, in the node's order. */
  replication: Array<[string, string]>;
}

/** One `slaveN` line of a master's INFO replication: a replica as the master sees it. */
export interface AttachedReplicaInfo {
  ip: string;
  /** The replica's listening port (REPLCONF listening-port), which for a lab node is its lab port. */
  port: number;
  /** wait_bgsave, send_bulk or online. */
  state: string;
  /** The replication offset the replica last acknowledged (REPLCONF ACK). */
  offset: number;
  /** Seconds since the replica's last ACK. */
  lag: number;
}

/**
 * Where a replica's INFO says its master is. `nodeId` is set when master_host:master_port is a node of
 * this lab (matched by loopback address and port); otherwise the master is outside the lab.
 */
export interface MasterPointer {
  host: string;
  port: number;
  nodeId: string | null;
  linkStatus: 'up' | 'down';
}

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
}

export type LabEventKind = 'created' | 'started' | 'stopped' | 'crashed' | 'removed' | 'linked' | 'promoted' | 'error';

export interface LabEvent {
  id: number;
  /** ms since the epoch */
  time: number;
  nodeId: string;
  nodeName: string;
  kind: LabEventKind;
  message: string;
}

export interface AddNodeOptions {
  name?: string;
  /** A specific port; by default the next free one from 6379 up. */
  port?: number;
}

/** What the renderer may ask of the host. Every method resolves or rejects with an Error whose message is for people. */
export interface LabApi {
  listNodes(): Promise<NodeSummary[]>;
  addNode(options?: AddNodeOptions): Promise<NodeSummary>;
  startNode(id: string): Promise<NodeSummary>;
  stopNode(id: string): Promise<NodeSummary>;
  removeNode(id: string): Promise<void>;
  /**
   * Sends the running node `REPLICAOF 127.0.0.1 <port of masterId>`, or `REPLICAOF NO ONE` when
   * masterId is null (promote), over a client connection as redis-cli would, and stores the choice
   * so the lab applies it again whenever it starts the node. Rejects with the node's own error.
   */
  linkNode(id: string, masterId: string | null): Promise<NodeSummary>;
  /** Terminates the node's thread at once, as a power cut would: no final save, connections just drop. */
  crashNode(id: string): Promise<NodeSummary>;
  listEvents(limit?: number): Promise<LabEvent[]>;
  /** Recent log lines of one node (Redis log format), oldest first. */
  nodeLog(id: string, limit?: number): Promise<string[]>;
}

export type LabMethod = keyof LabApi;

/** The whitelist: the only method names either transport forwards. */
export const LAB_METHODS: readonly LabMethod[] = [
  'listNodes',
  'addNode',
  'startNode',
  'stopNode',
  'removeNode',
  'linkNode',
  'crashNode',
  'listEvents',
  'nodeLog',
] as const;

export function isLabMethod(name: unknown): name is LabMethod {
  return typeof name === 'string' && (LAB_METHODS as readonly string[]).includes(name);
}

/** Pushed by the host, unrequested. `nodes` is sent at least once a second while anything is running. */
export type LabPush =
  | { type: 'nodes'; nodes: NodeSummary[] }
  | { type: 'event'; event: LabEvent }
  | { type: 'log'; nodeId: string; line: string };

// ---- Wire shapes (WebSocket JSON frames and IPC payloads) ----

export interface LabRequest {
  id: number;
  method: LabMethod;
  params: unknown[];
}

export type LabResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };

/** A WebSocket frame from host to renderer is either a response or a push. */
export type LabServerFrame = ({ kind: 'response' } & LabResponse) | ({ kind: 'push' } & { push: LabPush });

/** IPC channel names used by the preload bridge. */
export const IPC_CALL_CHANNEL = 'lab:call';
export const IPC_PUSH_CHANNEL = 'lab:push';

/**
 * What the Electron preload exposes as `window.replicaLab` (contextBridge). In browser mode the
 * renderer builds the same object on top of a WebSocket, so the rest of the renderer sees one shape.
 */
export interface LabBridge {
  call(method: LabMethod, params: unknown[]): Promise<unknown>;
  /** Returns an unsubscribe function. */
  onPush(listener: (push: LabPush) => void): () => void;
}

// ---- Browser mode (src-main/host/browser-server.ts) ----
// The launcher prints one line `UI: http://127.0.0.1:<port>/?token=<token>`.
// Every HTTP request and the WebSocket upgrade must carry the token, either as `?token=` in the URL
// or as the `replicalab_token` cookie (HttpOnly, SameSite=Strict) that the server sets when it
// serves the page for a request with a valid `?token=`; anything else gets 401 (no/invalid token).
// The WebSocket lives at `/ws` on the same port; frames are JSON: renderer -> host `LabRequest`,
// host -> renderer `LabServerFrame`.
export const BROWSER_TOKEN_COOKIE = 'replicalab_token';
export const BROWSER_WS_PATH = '/ws';

// What the lab needs from whatever runs a node. Today every node is our TypeScript server in a
// worker thread of this process (worker-thread/); the interface is kept this small so that a node
// could also be, say, a real redis-server process, without the rest of the host changing.

/** How a node that had started ended. Reported exactly once, after it is gone. */
export type NodeEnd =
  /** After stop(). `problem` says what went wrong on the way out (failed final save, forced stop). */
  | { kind: 'stopped'; problem?: string }
  /** The node ended by itself: SHUTDOWN from a client (code 0) or a fatal error (non-zero). */
  | { kind: 'shutdown'; code: number }
  /** The node died without closing: uncaught error, unexpected exit, or crash(). */
  | { kind: 'crashed'; reason: string };

export interface NodeStartOptions {
  /** redis-server style arguments: the node's config file, then `--directive value` overrides. */
  argv: string[];
  onLog(line: string): void;
  onEnd(end: NodeEnd): void;
}

/** A node that has started and accepts connections. */
export interface RunningNode {
  readonly port: number;
  /** The node's own `INFO [section]` text; rejects if the node does not answer in time. */
  info(section?: string): Promise<string>;
  /** Graceful stop (SHUTDOWN semantics); resolves when the node is gone. */
  stop(options?: { save?: boolean }): Promise<void>;
  /** Kills the node as a power cut would: no save, no goodbye to clients. Resolves when it is gone. */
  crash(): Promise<void>;
}

export interface NodeBackend {
  /** Starts a node; resolves once it accepts connections, rejects with the node's reason if it cannot start. */
  start(options: NodeStartOptions): Promise<RunningNode>;
}

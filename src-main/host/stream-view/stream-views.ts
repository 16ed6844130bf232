// The stream views being watched: one per replica whose link a view shows. streamWatch is a lease
// (STREAM_LEASE_MS) that an open view renews; when it lapses (the window closed without saying so)
// or streamUnwatch comes, the relay stops reading the stream. Each renewal also follows the link to
// its current relay (a new link, a restart of the lab, opens a new one). Entries are batched into
// one `stream` push per replica every PUSH_EVERY_MS, at most MAX_PER_PUSH of them: beyond that the
// oldest of the batch are left out and one `skipped` entry says how many, so a heavy write load
// cannot flood the transport.
import { STREAM_LEASE_MS, type MasterPointer, type StreamEntry, type StreamWatchStatus } from '../../api/index.js';
import type { LabPushes } from '../events/lab-pushes.js';
import type { LinkRelay } from '../links/link-relay.js';
import type { LinkRelays } from '../links/link-relays.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { NodeSummaries } from '../nodes/node-summary.js';
import type { TapEntry } from './link-tap.js';

const PUSH_EVERY_MS = 150;
const MAX_PER_PUSH = 400;

interface Watch {
  relay: LinkRelay;
  expires: NodeJS.Timeout;
  pending: TapEntry[];
  /** Entries dropped from the pending batch since the last push. */
  dropped: number;
  timer: NodeJS.Timeout | null;
  seq: number;
}

export class StreamViews {
  private readonly watches = new Map<string, Watch>();

  constructor(
    private readonly registry: NodeRegistry,
    private readonly relays: LinkRelays,
    private readonly pushes: LabPushes,
    private readonly summaries: NodeSummaries,
  ) {}

  async watch(replicaId: string): Promise<StreamWatchStatus> {
    const replica = this.registry.get(replicaId);
    const relay = this.relays.relayOf(replicaId);
    // The link the replica's own INFO names: a relay the lab keeps is no use if REPLICAOF went around it.
    const pointer = this.summaries.of(replica).master;
    if (!relay || pointer?.relay?.replicaId !== replicaId) {
      this.unwatch(replicaId);
      return {
        replicaId,
        watching: false,
        relayPort: null,
        masterId: pointer?.nodeId ?? null,
        reason: notWatchable(replica.stored.name, pointer),
      };
    }
    let watch = this.watches.get(replicaId);
    if (watch && watch.relay !== relay) {
      watch.relay.unwatch();
      watch.relay = relay;
      relay.watch((entries) => this.received(replicaId, entries));
    }
    if (watch) clearTimeout(watch.expires);
    else {
      watch = { relay, expires: setTimeout(() => {}, 0), pending: [], dropped: 0, timer: null, seq: 0 };
      this.watches.set(replicaId, watch);
      relay.watch((entries) => this.received(replicaId, entries));
    }
    watch.expires = setTimeout(() => this.unwatch(replicaId), STREAM_LEASE_MS);
    watch.expires.unref();
    return { replicaId, watching: true, relayPort: relay.port, masterId: this.relays.masterOf(replicaId), reason: null };
  }

  unwatch(replicaId: string): void {
    const watch = this.watches.get(replicaId);
    if (!watch) return;
    this.watches.delete(replicaId);
    clearTimeout(watch.expires);
    if (watch.timer) clearTimeout(watch.timer);
    watch.relay.unwatch();
  }

  closeAll(): void {
    for (const id of [...this.watches.keys()]) this.unwatch(id);
  }

  private received(replicaId: string, entries: TapEntry[]): void {
    const watch = this.watches.get(replicaId);
    if (!watch) return;
    watch.pending.push(...entries);
    if (watch.pending.length > MAX_PER_PUSH) {
      const excess = watch.pending.length - MAX_PER_PUSH;
      watch.dropped += watch.pending.splice(0, excess).length;
    }
    watch.timer ??= setTimeout(() => this.flush(replicaId), PUSH_EVERY_MS);
  }

  private flush(replicaId: string): void {
    const watch = this.watches.get(replicaId);
    if (!watch) return;
    watch.timer = null;
    const batch = watch.pending.splice(0);
    const entries: StreamEntry[] = [];
    if (watch.dropped > 0) {
      const first = batch[0]!;
      entries.push({
        seq: ++watch.seq,
        at: first.at,
        connection: first.connection,
        direction: 'to-replica',
        kind: 'skipped',
        name: 'skipped',
        text: `view lagging, ${watch.dropped} entries not shown (more than ${MAX_PER_PUSH} in ${PUSH_EVERY_MS} ms)`,
        bytes: 0,
        offset: null,
      });
      watch.dropped = 0;
    }
    for (const entry of batch) entries.push({ seq: ++watch.seq, ...entry });
    if (entries.length > 0) this.pushes.emit({ type: 'stream', replicaId, entries });
  }
}

function notWatchable(name: string, pointer: MasterPointer | null): string {
  if (!pointer) return `${name} is not a running replica: there is no link to watch`;
  return (
    `${name} reaches its master directly (port ${pointer.port}; a link made by FAILOVER or typed into redis-cli): ` +
    `only a link through the lab's relay can be watched, and routing it through one makes the replica resynchronise (partially)`
  );
}

// What a master's shutdown asks of its replicas (server.c isReadyToShutdown, sendGetackToReplicas
// and finishShutdown's report): core/shutdown.ts holds writes and waits until every replica
// acknowledged the whole stream, then reports, in Redis's words, which ones it leaves behind.
import type { ReplicasAtShutdown } from '../core/shutdown.js';
import type { Replication } from './replication.js';
import { STATE_NAMES } from './info-replication.js';

export function replicasAtShutdown(replication: Replication): ReplicasAtShutdown {
  const replicas = () => replication.replicas.replicas;
  const lagging = () => replicas().filter((r) => r.ackOffset !== replication.offset);
  return {
    // Not `>=`: as in Redis, a replica counts as in sync only at exactly our offset.
    inSync: () => lagging().length === 0,
    requestAcks: () => replication.requestAcks(),
    report() {
      const all = replicas();
      if (all.length === 0) return;
      const log = replication.server.logger;
      const now = Date.now();
      const behind = lagging();
      for (const replica of behind) {
        const lag = replica.state === 'online' ? Math.floor((now - replica.ackTime) / 1000) : 0;
        log.warning(
          `Lagging replica ${replica.name} reported offset ${replication.offset - replica.ackOffset} behind master, lag=${lag}, state=${STATE_NAMES[replica.state]}.`,
        );
      }
      log.notice(`${all.length - behind.length} of ${all.length} replicas are in sync when shutting down.`);
    },
  };
}

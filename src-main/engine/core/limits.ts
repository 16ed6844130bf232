// Output buffer limits (Redis's checkClientOutputBufferLimits, client-output-buffer-limit): a
// client whose pending output reaches its class's hard limit, or stays above the soft limit for
// longer than the soft seconds, is closed and logged, so that a subscriber or monitor that stops
// reading cannot make the node buffer without bound. Replicas are bounded by replication itself.
import type { Config } from '../config/config.js';
import type { Client } from './client.js';
import type { Logger } from '../util/logger.js';
import { clientInfoString } from './client-info.js';

export type OutputClass = 'normal' | 'slave' | 'pubsub';

interface ClassLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

export class OutputBufferLimits {
  private limits: Record<OutputClass, ClassLimit> = {
    normal: { hard: 0, soft: 0, softSeconds: 0 },
    slave: { hard: 0, soft: 0, softSeconds: 0 },
    pubsub: { hard: 0, soft: 0, softSeconds: 0 },
  };

  constructor(private readonly logger: Logger) {}

  /** Re-reads client-output-buffer-limit (canonical form: "normal h s t slave h s t pubsub h s t"). */
  configure(config: Config): void {
    const parts = config.str('client-output-buffer-limit').split(' ');
    for (let i = 0; i + 3 < parts.length; i += 4) {
      this.limits[parts[i] as OutputClass] = { hard: Number(parts[i + 1]), soft: Number(parts[i + 2]), softSeconds: Number(parts[i + 3]) };
    }
  }

  /** networking.c getClientType, for the limit classes. */
  static classOf(client: Client): OutputClass | null {
    if (client.isMaster || client.isReplica) return null;
    if (client.isMonitor) return 'slave';
    return client.inPubSubContext ? 'pubsub' : 'normal';
  }

  /** Closes `client` if it is over its limits; true when it was closed. */
  checkOutputBuffer(client: Client): boolean {
    if (client.socket === null || client.socket.destroyed) return false;
    const cls = OutputBufferLimits.classOf(client);
    if (cls === null) return false;
    const limit = this.limits[cls];
    if (limit.hard === 0 && limit.soft === 0) return false;
    const used = client.outputBytes;
    const overHard = limit.hard !== 0 && used >= limit.hard;
    let overSoft = false;
    if (limit.soft !== 0 && used >= limit.soft) {
      const now = Date.now();
      if (client.softLimitReachedAt === 0) client.softLimitReachedAt = now;
      else overSoft = (now - client.softLimitReachedAt) / 1000 > limit.softSeconds;
    } else {
      client.softLimitReachedAt = 0;
    }
    if (!overHard && !overSoft) return false;
    this.logger.warning(`Client ${clientInfoString(client)} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    client.close();
    return true;
  }
}

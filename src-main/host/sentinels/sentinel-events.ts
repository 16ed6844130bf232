// A Sentinel's pub/sub events, as the lab records them and follows them. Every event a Sentinel
// publishes (+sdown, +odown, +new-epoch, +vote-for-leader, +elected-leader, +selected-slave,
// +promoted-slave, +switch-master, +slave-reconf-*, +convert-to-slave, ...) becomes a lab event of
// kind 'sentinel' under that Sentinel's name; the hellos on __sentinel__:hello are not events.
// The ones that change who replicates from whom are followed in the lab's stored links, through
// the same Failovers.follow that FAILOVER's result goes through.

/** What an event changed in the topology, by real ports (Sentinels never see the lab's relays). */
export type SentinelMove =
  /** +switch-master: the master moved from oldPort to newPort; the Sentinels re-point all its replicas. */
  | { kind: 'switch'; oldPort: number; newPort: number }
  /** +convert-to-slave / +fix-slave-config: the replica on `port` now follows `masterPort`. */
  | { kind: 'replica'; port: number; masterPort: number };

/** Whether a channel's message is a Sentinel event the lab records. */
export function isSentinelEvent(channel: string): boolean {
  return (channel.startsWith('+') || channel.startsWith('-')) && channel !== '__sentinel__:hello';
}

/**
 * The move an event announces, if any. Formats are sentinelEvent's: "<name> <oldip> <oldport>
 * <newip> <newport>" for +switch-master, "slave <ip>:<port> <ip> <port> @ <name> <mip> <mport>"
 * for an event about a replica.
 */
export function sentinelMove(channel: string, message: string): SentinelMove | null {
  const words = message.split(' ');
  if (channel === '+switch-master' && words.length === 5) {
    return { kind: 'switch', oldPort: Number(words[2]), newPort: Number(words[4]) };
  }
  // (+slave-reconf-done names the old master's address: the switch that follows covers it.)
  if ((channel === '+convert-to-slave' || channel === '+fix-slave-config') && words[4] === '@') {
    return { kind: 'replica', port: Number(words[3]), masterPort: Number(words[7]) };
  }
  return null;
}

/** The Sentinel id an +elected-leader / +vote-for-leader event names ("<id> <epoch>" for a vote). */
export function leaderOf(channel: string, message: string): string | null {
  if (channel === '+vote-for-leader') return message.split(' ')[0] ?? null;
  return null;
}

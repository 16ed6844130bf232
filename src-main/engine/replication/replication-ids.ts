// A node's replication history is named by a replication ID (replid) and measured by the
// replication offset: the number of bytes of replication stream produced (on a master) or
// processed (on a replica) under that history. Two nodes with the same replid and offset hold the
// same dataset, which is what makes a partial resynchronization (PSYNC) possible.
//
// There are two IDs, as in Redis 4+ (PSYNC2):
//   - replid: the current history. A master invents it; a replica adopts its master's.
//   - replid2: the history this node followed before its last change of role, valid only up to
//     second_repl_offset. When a replica is promoted it keeps its old replid as replid2, so its
//     former siblings (which share that history up to the promotion) can continue from it with
//     "+CONTINUE" instead of a full resync.
import { randomBytes } from 'node:crypto';

/** What INFO prints for an unset replid2. */
export const NO_REPLID = '0'.repeat(40);

/** 40 random hex characters (getRandomHexChars with CONFIG_RUN_ID_SIZE). */
export function randomReplicationId(): string {
  return randomBytes(20).toString('hex');
}

export class ReplicationIds {
  replid: string;
  replid2 = NO_REPLID;
  /** The first offset NOT covered by replid2; -1 when replid2 is unset. */
  secondReplOffset = -1;

  constructor(replid = randomReplicationId()) {
    this.replid = replid;
  }

  /**
   * changeReplicationId: start a new history. Called when something happens that alters the
   * dataset's story so that no one may PSYNC with the old ID any longer.
   */
  change(): void {
    this.replid = randomReplicationId();
  }

  /** clearReplicationId2: forget the previous history (after a full resync, a new backlog...). */
  clearSecondary(): void {
    this.replid2 = NO_REPLID;
    this.secondReplOffset = -1;
  }

  /**
   * shiftReplicationId: when a replica becomes a master, its current history becomes replid2.
   * The offset is masterOffset + 1 because a replica asks for the first byte it does NOT have:
   * a node that shares 50 bytes of history with us asks for offset 51, which we can serve.
   */
  shift(masterOffset: number): void {
    this.replid2 = this.replid;
    this.secondReplOffset = masterOffset + 1;
    this.change();
  }

  /**
   * Whether a PSYNC for (replid, offset) names our history: our current ID, or our previous one
   * for an offset that this node's past still covers.
   */
  accepts(replid: string, offset: number): boolean {
    const id = replid.toLowerCase();
    if (id === this.replid) return true;
    return id === this.replid2 && offset <= this.secondReplOffset;
  }
}

// The arithmetic of a master's backlog, from its INFO replication fields. Redis 7.0's rule for
// accepting `PSYNC <replid> <offset>` (replication.c masterTryPartialResynchronization): the replid
// must be the master's own, or its previous one (master_replid2) with the offset no further than
// second_repl_offset; and the offset must lie within the backlog, from repl_backlog_first_byte_offset
// to first byte + repl_backlog_histlen (that is master_repl_offset + 1, "nothing missed yet"). A
// replica asks for the byte after the last one it has: its offset + 1.

import type { MasterBacklog } from '../../api/backlog.js';

export type { MasterBacklog };

export interface ResumeVerdict {
  canResume: boolean;
  reason: string;
  /** Bytes the master can still write before `offset + 1` leaves the backlog; null when it cannot resume. */
  bytesLeft: number | null;
}

const NO_REPLID = '0000000000000000000000000000000000000000';

/** The backlog fields of a master's INFO replication (verbatim `field:value` pairs). */
export function masterBacklog(fields: ReadonlyArray<readonly [string, string]>): MasterBacklog {
  const get = new Map(fields);
  const num = (name: string): number => Number(get.get(name) ?? 0) || 0;
  return {
    active: get.get('repl_backlog_active') === '1',
    size: num('repl_backlog_size'),
    firstByteOffset: num('repl_backlog_first_byte_offset'),
    histlen: num('repl_backlog_histlen'),
    masterReplOffset: num('master_repl_offset'),
    replid: get.get('master_replid') ?? '',
    replid2: get.get('master_replid2') ?? NO_REPLID,
    secondReplOffset: Number(get.get('second_repl_offset') ?? -1),
  };
}

/** Would `PSYNC replid offset+1` from a replica at `offset` be accepted now? */
export function resumeVerdict(master: MasterBacklog, replid: string | null, offset: number | null): ResumeVerdict {
  const no = (reason: string): ResumeVerdict => ({ canResume: false, reason, bytesLeft: null });
  if (replid === null || offset === null) return no('nothing records its position, so it would ask for a full sync');
  if (!master.active) return no('the master has no backlog now (repl_backlog_active:0)');
  const asked = offset + 1;
  if (replid !== master.replid) {
    if (replid !== master.replid2 || master.replid2 === NO_REPLID)
      return no(`its replication ID ${replid.slice(0, 8)}… is not the master's history`);
    if (asked > master.secondReplOffset)
      return no(`it has its old master's bytes past second_repl_offset ${master.secondReplOffset}, which this master never had`);
  }
  const last = master.firstByteOffset + master.histlen;
  if (asked < master.firstByteOffset) {
    return no(
      `it needs the bytes from offset ${asked}, but the backlog starts at ${master.firstByteOffset}: ${master.firstByteOffset - asked} bytes were overwritten`,
    );
  }
  if (asked > last) return no(`it is ${asked - last} bytes ahead of the master (master_repl_offset ${master.masterReplOffset})`);
  // Once the backlog is full its first byte moves up with every byte written: size - (bytes the replica
  // is behind) remain. Redis 7.0 trims its backlog in whole blocks of the shared replication buffer,
  // so repl_backlog_histlen can exceed repl_backlog_size for a while: this is the least that remains.
  const behind = master.masterReplOffset - offset;
  return {
    canResume: true,
    reason: behind === 0 ? 'it has every byte, so it would continue at once' : `the ${behind} bytes it lacks are all in the backlog`,
    bytesLeft: Math.max(0, master.size - behind),
  };
}

/** Seconds that `bytes` last at `rate` bytes/s; null when nothing is written (they last while that holds). */
export function secondsAt(bytes: number, rate: number | null): number | null {
  return rate !== null && rate > 0 ? bytes / rate : null;
}

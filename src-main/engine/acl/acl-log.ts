// The ACL security log (acl.c addACLLogEntry and ACL LOG): the newest refusals first, similar ones
// within a minute folded into one entry with a count, at most `acllog-max-len` entries.
import type { BinaryString } from '../protocol/request-parser.js';

export type AclLogReason = 'command' | 'key' | 'channel' | 'auth';
export type AclLogContext = 'toplevel' | 'multi';

export interface AclLogEntry {
  count: number;
  reason: AclLogReason;
  context: AclLogContext;
  /** The refused command's full name, key, channel, or (for AUTH) the command as typed. */
  object: BinaryString;
  username: BinaryString;
  /** Milliseconds time of the last occurrence. */
  time: number;
  /** CLIENT LIST line of the last client this happened to. */
  clientInfo: string;
}

/** ACL_LOG_GROUPING_MAX_TIME_DELTA. */
const GROUPING_WINDOW_MS = 60_000;
/** addACLLogEntry looks this far back for an entry to fold into. */
const GROUPING_SCAN = 10;

export class AclLog {
  /** Newest first. */
  private entries: AclLogEntry[] = [];

  add(entry: Omit<AclLogEntry, 'count'>, maxLength: number): void {
    const scan = Math.min(GROUPING_SCAN, this.entries.length);
    for (let i = 0; i < scan; i++) {
      const current = this.entries[i]!;
      if (!sameEvent(current, entry)) continue;
      current.clientInfo = entry.clientInfo;
      current.time = entry.time;
      current.count++;
      this.entries.splice(i, 1);
      this.entries.unshift(current);
      return;
    }
    this.entries.unshift({ count: 1, ...entry });
    if (this.entries.length > maxLength) this.entries.length = maxLength;
  }

  /** The `count` newest entries. */
  newest(count: number): readonly AclLogEntry[] {
    return this.entries.slice(0, Math.max(0, count));
  }

  reset(): void {
    this.entries = [];
  }
}

/** ACLLogMatchEntry. */
function sameEvent(a: Omit<AclLogEntry, 'count'>, b: Omit<AclLogEntry, 'count'>): boolean {
  return (
    a.reason === b.reason &&
    a.context === b.context &&
    Math.abs(a.time - b.time) <= GROUPING_WINDOW_MS &&
    a.object === b.object &&
    a.username === b.username
  );
}

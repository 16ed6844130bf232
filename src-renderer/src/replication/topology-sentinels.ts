// The lab's Sentinels as the topology draws them: one small box each, in a column right of the
// nodes, with a dotted line to the node the Sentinel holds as its master now (what its SENTINEL
// MASTERS says, so the line moves when a failover switches the master). The words come from the
// Sentinel's own report: its epoch, whether it holds the master down (s_down, o_down), the
// failover state while one runs, and whether it was the elected leader.
import type { SentinelSummary } from '@api/sentinels.js';

export interface SentinelMark {
  id: string;
  name: string;
  /** First line: the name, and "leader" for the elected leader. */
  title: string;
  /** Second line: port and epoch. */
  detail: string;
  /** Third line: what it thinks of its master now. */
  state: string;
  /** The lab node it holds as master now, if that is a lab node. */
  masterKey: string | null;
  kind: 'ok' | 'sdown' | 'odown' | 'failover' | 'off';
  leader: boolean;
}

/**
 * The leader of the last election: each Sentinel reports the run id it last voted for (itself when
 * it tried to fail over), so the leader is the one most of them name, if one is named by more
 * than any other and by at least two (or by the only Sentinel there is).
 */
export function electedLeader(sentinels: readonly SentinelSummary[]): string | null {
  const votes = new Map<string, number>();
  for (const s of sentinels) if (s.status === 'running' && s.leader) votes.set(s.leader, (votes.get(s.leader) ?? 0) + 1);
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first || (second && second[1] === first[1])) return null;
  return first[1] >= Math.min(2, sentinels.length) ? first[0] : null;
}

export function sentinelMarks(sentinels: readonly SentinelSummary[]): SentinelMark[] {
  const elected = electedLeader(sentinels);
  return sentinels.map((s) => {
    const view = s.status === 'running' ? s.view : null;
    const epoch = s.currentEpoch === null ? '' : ` · epoch ${s.currentEpoch}`;
    const leader = s.status === 'running' && s.myid !== null && s.myid === elected;
    let kind: SentinelMark['kind'] = 'ok';
    let state = 'sees master ok';
    if (s.status !== 'running') {
      kind = 'off';
      state = s.status;
    } else if (!view) {
      state = 'not read yet';
    } else if (view.flags.includes('failover_in_progress')) {
      kind = 'failover';
      state = view.failoverState !== 'none' ? `failover: ${view.failoverState.replace(/_/g, ' ')}` : 'failover in progress';
    } else if (view.odown) {
      kind = 'odown';
      state = 'master o_down';
    } else if (view.sdown) {
      kind = 'sdown';
      state = 'master s_down';
    }
    return {
      id: s.id,
      name: s.name,
      title: leader ? `${s.name} · leader` : s.name,
      detail: `:${s.port}${epoch}`,
      state,
      masterKey: view?.masterNodeId ?? null,
      kind,
      leader,
    };
  });
}

/** The marks in words, for the diagram's description (screen readers read it instead). */
export function describeSentinels(marks: readonly SentinelMark[], nameOf: (key: string) => string): string {
  return marks
    .map((m) => `${m.title} (${m.detail.slice(1)}) ${m.masterKey ? `watches ${nameOf(m.masterKey)}` : 'watches no lab node'}: ${m.state}.`)
    .join(' ');
}

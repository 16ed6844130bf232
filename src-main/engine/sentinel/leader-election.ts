// Who fails a master over (sentinel.c's sentinelVoteLeader and sentinelGetLeader). A Sentinel
// that starts a failover bumps the current epoch and asks the others for their vote; each votes
// once per epoch, for the first Sentinel that asks. A Sentinel is the leader of an epoch with the
// votes of a majority of the Sentinels it knows and at least the quorum.
import type { Instance } from './instance.js';
import type { Sentinel } from './sentinel.js';

/** sentinel.c's SENTINEL_MAX_DESYNC: a Sentinel that voted for another waits up to 1 s more. */
const MAX_DESYNC = 1000;

/**
 * sentinelVoteLeader: our vote in `reqEpoch` for `reqRunid` (if we have not voted in that epoch
 * yet); returns whom we voted for in our latest epoch, and that epoch.
 */
export function voteLeader(
  sentinel: Sentinel,
  master: Instance,
  reqEpoch: number,
  reqRunid: string,
): { leader: string | null; epoch: number } {
  if (reqEpoch > sentinel.currentEpoch) {
    sentinel.currentEpoch = reqEpoch;
    sentinel.flushConfig();
    sentinel.event('warning', '+new-epoch', master, String(sentinel.currentEpoch));
  }
  if (master.leaderEpoch < reqEpoch && sentinel.currentEpoch <= reqEpoch) {
    master.leader = reqRunid;
    master.leaderEpoch = sentinel.currentEpoch;
    sentinel.flushConfig();
    sentinel.event('warning', '+vote-for-leader', master, `${master.leader} ${master.leaderEpoch}`);
    // Having voted for another, we must not start a failover of our own right away.
    if (master.leader !== sentinel.myid) master.failoverStartTime = Date.now() + Math.floor(Math.random() * MAX_DESYNC);
  }
  return { leader: master.leader, epoch: master.leaderEpoch };
}

/** sentinelGetLeader: the winner of `epoch` as far as we know, or null. */
export function getLeader(sentinel: Sentinel, master: Instance, epoch: number): string | null {
  const counters = new Map<string, number>();
  const voters = master.sentinels.size + 1;
  for (const peer of master.sentinels.values()) {
    if (peer.leader !== null && peer.leaderEpoch === sentinel.currentEpoch) counters.set(peer.leader, (counters.get(peer.leader) ?? 0) + 1);
  }
  let winner: string | null = null;
  let maxVotes = 0;
  for (const [runid, votes] of counters) {
    if (votes > maxVotes) {
      maxVotes = votes;
      winner = runid;
    }
  }
  // Our own vote goes to the winner so far, or to ourselves when nobody has votes.
  const mine = voteLeader(sentinel, master, epoch, winner ?? sentinel.myid);
  if (mine.leader !== null && mine.epoch === epoch) {
    const votes = (counters.get(mine.leader) ?? 0) + 1;
    counters.set(mine.leader, votes);
    if (votes > maxVotes) {
      maxVotes = votes;
      winner = mine.leader;
    }
  }
  const votersQuorum = Math.floor(voters / 2) + 1;
  if (winner !== null && (maxVotes < votersQuorum || maxVotes < master.quorum)) winner = null;
  return winner;
}

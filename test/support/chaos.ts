// A seeded chaos run, Jepsen-style, on real processes: five nodes (ours and Debian's redis-server
// mixed), one master and four replicas, each replica linked through the lab's own link relay
// (src-main/host/links/link-relay.ts) so its link can be cut. One client writes without pause to
// whichever node is master now, `SET w:<n> <n>` then `WAIT 1 <timeout>`, and records which writes
// at least one replica acknowledged. Meanwhile a fault schedule drawn from the seed crashes nodes
// (SIGKILL), restarts them from their files as replicas of the current master, cuts links for a
// moment, and, when the master is the one crashed, promotes the most advanced replica (the highest
// master_repl_offset among the replicas still running: REPLICAOF NO ONE, then every other replica
// re-pointed to it through a new relay).
//
// The invariant checked at the end (after every fault is healed and every node restarted):
//
//   1. convergence: every node reports the same DEBUG DIGEST as the master;
//   2. no acknowledged write lost: a write whose WAIT 1 returned >= 1 is on the final master,
//      unless a promotion came after its acknowledgement and some node other than the master it
//      was written to crashed between the moment the write was sent and that promotion.
//
// Why that exception and no other: WAIT 1 says that one replica (which one, it does not say) had
// applied the write. A replica that is still running at a promotion has an offset at least the
// write's, and all replicas of one master hold prefixes of one stream, so the replica promoted
// (the highest offset among the running ones) holds it too, and every later master descends from
// it. Only a crash of the acknowledging replica (or of a node promoted since, which may have been
// the only one holding it) before a promotion can take the write away; since WAIT does not name
// the replica, any such crash in that window excuses the write. The run narrows this down with
// what it saw: before each fault it reads the offsets and notes which replicas held everything
// acknowledged so far; a write such a checkpoint covers is excused only if every replica seen
// holding it crashed before the promotion. Writes that were not acknowledged may be lost (asynchronous
// replication) and are not counted. A crashed node always comes back as a replica that resyncs
// from the current master, so its own files never bring back data the master does not have.
//
// With `promoter: 'sentinel'` nobody promotes by hand: three of our Sentinels (quorum 2,
// down-after-milliseconds 1000) monitor the master; when the schedule crashes the master, the run
// waits until two of the three report a new address (SENTINEL GET-MASTER-ADDR-BY-NAME) and writes
// there; crashed nodes restart as replicas of whatever the Sentinels say is master. Two
// differences, stated plainly:
//   - no link relays and no link cuts: replicas link straight to the master's real port. The
//     Sentinels re-point replicas to the promoted node's real port, and re-point any replica that
//     follows another address (+fix-slave-config, after failover-timeout), so a relay would be
//     bypassed within seconds anyway; a cut that only holds until then would not be a cut.
//   - the invariant is weaker at a Sentinel promotion. A Sentinel ranks the replicas by priority,
//     then by the offset their last INFO reply gave (refreshed every 10 s, every 1 s once the
//     master is down), so it may promote a replica that is not the most advanced one, and a write
//     WAIT 1 acknowledged on another replica only is then lost, with no other crash. A write must
//     survive a Sentinel promotion only if a checkpoint taken after its acknowledgement saw the
//     promoted replica itself holding it, and that replica did not crash since (a restart from its
//     files may not have caught up before it was promoted). The run takes a checkpoint right
//     before every fault, so only the writes acknowledged in the few milliseconds before the
//     master's crash are excused. A failover the Sentinels make on their own (a master slow to
//     answer) is seen at the next fault and counted the same way: writes acknowledged on the old
//     master after the promotion cannot be covered, as the promoted replica has a new replication
//     ID.
//
// The seed fixes the schedule of faults (what, to whom, when); the interleaving with the writes
// still depends on the machine, as in any test on real processes.
import { rmSync } from 'node:fs';
import { LinkRelay } from '../../src-main/host/links/link-relay.js';
import { tempDir, freePort } from './servers.js';
import { RespClient, type Reply } from './resp-client.js';
import { isError, random, startNode, waitFor, type Kind, type Node } from './replication.js';
import { monitorLines, startSentinel, waitForDiscovery, type SentinelProcess } from './sentinel.js';
import { fresh, freshInfo } from './sentinel-failover.js';

/** The name the Sentinels monitor the master under. */
const MASTER_NAME = 'chaos';
/** The Sentinels' failover-timeout: they start no new failover of the master within twice this. */
const FAILOVER_TIMEOUT_MS = 4000;

export interface ChaosOptions {
  seed: number;
  /** How long faults and writes go on before the run heals everything and checks. */
  durationMs: number;
  /** One kind per node; the first starts as master. */
  kinds?: Kind[];
  /** The gap between two faults is drawn from this range. */
  faultGapMs?: [number, number];
  /** WAIT's timeout, in milliseconds. */
  waitTimeoutMs?: number;
  /** Who promotes a replica when the master crashes: the run itself, or three of our Sentinels. */
  promoter?: 'manual' | 'sentinel';
  log?: (line: string) => void;
}

export interface ChaosReport {
  seed: number;
  promoter: 'manual' | 'sentinel';
  nodes: string;
  /** SETs sent, SETs that the master answered OK, and those WAIT 1 acknowledged. */
  writes: number;
  written: number;
  acknowledged: number;
  /** Acknowledged writes the invariant requires on the final master, and those missing from it. */
  mustSurvive: number;
  lost: number;
  lostKeys: string[];
  /** Acknowledged writes excused by a replica crash before a failover, and how many of them are gone. */
  excused: number;
  excusedLost: number;
  crashes: number;
  restarts: number;
  linkCuts: number;
  failovers: number;
  /** Syncs the replicas made (counted from their logs, crashed processes included). */
  fullSyncs: number;
  partialSyncs: number;
  converged: boolean;
  digests: string[];
}

/** The default mix: ours and redis-server alternating, ours first as master. */
export const CHAOS_KINDS: Kind[] = ['ours', 'redis', 'ours', 'redis', 'ours'];

interface Member {
  name: string;
  kind: Kind;
  dir: string;
  port: number;
  /** Null while crashed. */
  node: Node | null;
  /** The relay this replica's REPLICAOF names (null for the master and while crashed). */
  relay: LinkRelay | null;
  restoreTimer: NodeJS.Timeout | null;
}

interface AckedWrite {
  id: number;
  /** The index of the master it was written to. */
  master: number;
  sentAt: number;
  ackedAt: number;
}

interface Crash {
  member: number;
  at: number;
}

/**
 * What the replicas were seen to hold at one moment (`at`, taken before the master's offset was
 * read): everything the master held then, so every acknowledged write the invariant did not excuse
 * before, is on each of `holders`, the running replicas of the master's own history whose offset
 * had reached the master's.
 */
interface Checkpoint {
  at: number;
  holders: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no reply in ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e as Error);
      },
    );
  });
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const chaos = new Chaos(options);
  try {
    return await chaos.run();
  } finally {
    await chaos.close();
  }
}

class Chaos {
  private readonly rnd: () => number;
  private readonly log: (line: string) => void;
  private readonly members: Member[] = [];
  private master!: Member;
  /** A logical clock: every send, acknowledgement, crash and promotion takes the next tick. */
  private clock = 0;
  private readonly acked: AckedWrite[] = [];
  private readonly crashLog: Crash[] = [];
  /** When each promotion was made (or, by Sentinels, seen) and which member it promoted. */
  private readonly promotions: Array<{ at: number; promoted: number }> = [];
  private readonly sentinels: SentinelProcess[] = [];
  private readonly bySentinels: boolean;
  private lastPromotionAt = 0;
  private readonly checkpoints: Checkpoint[] = [];
  /** Every process's output, crashed ones included, for the sync counts. */
  private readonly outputs: Array<() => string> = [];
  private writes = 0;
  private written = 0;
  private crashes = 0;
  private restarts = 0;
  private linkCuts = 0;
  private stopWriting = false;
  private faults = 0;

  constructor(private readonly options: ChaosOptions) {
    this.rnd = random(options.seed);
    this.bySentinels = options.promoter === 'sentinel';
    this.log = options.log ?? (() => {});
  }

  private tick(): number {
    return ++this.clock;
  }

  private between(min: number, max: number): number {
    return min + Math.floor(this.rnd() * (max - min + 1));
  }

  private pick<T>(items: T[]): T {
    return items[Math.floor(this.rnd() * items.length)]!;
  }

  private args(member: Member): string[] {
    const index = this.members.indexOf(member);
    return [
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      // Both ways of sending a full sync, node by node.
      '--repl-diskless-sync',
      index % 2 === 0 ? 'yes' : 'no',
      '--repl-backlog-size',
      '4mb',
    ];
  }

  private async start(member: Member, replicaOf: Member | null): Promise<void> {
    const extra: string[] = [];
    if (replicaOf && this.bySentinels) extra.push('--replicaof', `127.0.0.1 ${replicaOf.port}`);
    else if (replicaOf) {
      member.relay = await LinkRelay.open(replicaOf.port);
      extra.push('--replicaof', `127.0.0.1 ${member.relay.port}`);
    }
    member.node = await startNode(member.kind, [...this.args(member), ...extra], { dir: member.dir, port: member.port });
    this.outputs.push(member.node.server.output);
  }

  async run(): Promise<ChaosReport> {
    const kinds = this.options.kinds ?? CHAOS_KINDS;
    for (const [i, kind] of kinds.entries()) {
      this.members.push({
        name: `n${i}(${kind})`,
        kind,
        dir: tempDir('replicalab-chaos-'),
        port: await freePort(),
        node: null,
        relay: null,
        restoreTimer: null,
      });
    }
    this.master = this.members[0]!;
    await this.start(this.master, null);
    for (const member of this.members.slice(1)) await this.start(member, this.master);
    await waitFor('every replica linked', async () => (await this.linkedReplicas()).length === this.members.length - 1, 30000);
    if (this.bySentinels) {
      const lines = monitorLines(MASTER_NAME, this.master.port, 2, { downAfter: 1000, failoverTimeout: FAILOVER_TIMEOUT_MS });
      for (let i = 0; i < 3; i++) this.sentinels.push(await startSentinel('ours', lines));
      await waitForDiscovery(this.sentinels, MASTER_NAME, this.members.length - 1);
    }
    this.log(
      `chaos seed=${this.options.seed} promoter=${this.bySentinels ? 'sentinel' : 'manual'} nodes=${this.members.map((m) => m.name).join(',')} master=${this.master.name}`,
    );

    const writer = this.writeLoop();
    const end = Date.now() + this.options.durationMs;
    const [minGap, maxGap] = this.options.faultGapMs ?? [400, 1500];
    while (Date.now() < end) {
      await sleep(this.between(minGap, maxGap));
      await this.followSentinels();
      await this.checkpoint();
      await this.fault();
    }
    this.stopWriting = true;
    await writer;
    return this.healAndCheck();
  }

  private alive(): Member[] {
    return this.members.filter((m) => m.node !== null);
  }

  private aliveReplicas(): Member[] {
    return this.alive().filter((m) => m !== this.master);
  }

  private async linkedReplicas(): Promise<Member[]> {
    const linked: Member[] = [];
    for (const m of this.aliveReplicas()) {
      const info = await this.info(m).catch(() => null);
      if (info?.get('master_link_status') === 'up') linked.push(m);
    }
    return linked;
  }

  /**
   * Notes which replicas hold everything the master holds now: the tick first, then the master's
   * offset, then each replica's offset and replication ID (a replica counts only if it follows the
   * master's own history).
   */
  private async checkpoint(): Promise<void> {
    const master = this.master;
    if (!master.node) return;
    const at = this.tick();
    const masterInfo = await withTimeout(this.info(master), 3000).catch(() => null);
    // A master the Sentinels demoted behind the run's back holds the new master's history now.
    if (!masterInfo || masterInfo.get('role') !== 'master') return;
    const offset = Number(masterInfo.get('master_repl_offset'));
    const holders: number[] = [];
    for (const m of this.aliveReplicas()) {
      const info = await withTimeout(this.info(m), 3000).catch(() => null);
      if (info && info.get('master_replid') === masterInfo.get('master_replid') && Number(info.get('master_repl_offset')) >= offset) {
        holders.push(this.members.indexOf(m));
      }
    }
    if (holders.length) this.checkpoints.push({ at, holders });
  }

  /**
   * Whether the invariant excuses the loss of a write (see the top of this file), as tight as
   * what was observed allows. The promotions after its acknowledgement are taken in order; the
   * write is excused at the first one where it may have gone:
   *   - if a checkpoint was taken between its acknowledgement and the promotion, the latest one's
   *     holders had it (the master then held it: acknowledged there, or carried over by the
   *     earlier promotions that did not excuse it); only the crash of every one of them before
   *     the promotion excuses it, as a holder still running keeps it and the replica promoted has
   *     an offset at least that holder's, in the same history;
   *   - otherwise, any crash of a node other than its master between its sending and the
   *     promotion excuses it (that node may have been the one that acknowledged it).
   * A promotion by Sentinels excuses it unless that checkpoint saw the promoted replica itself
   * holding it and that replica did not crash since (the Sentinels may pick a less advanced one).
   */
  private excusal(): (w: AckedWrite) => boolean {
    if (this.bySentinels) {
      const perPromotion = this.promotions.map(({ at: p, promoted }) => {
        const checkpoint = this.checkpoints.filter((k) => k.at < p).at(-1) ?? null;
        const held =
          checkpoint !== null &&
          checkpoint.holders.includes(promoted) &&
          !this.crashLog.some((c) => c.member === promoted && c.at > checkpoint.at && c.at < p);
        return { p, checkpointAt: checkpoint?.at ?? -1, held };
      });
      return (w) => perPromotion.some(({ p, checkpointAt, held }) => p > w.ackedAt && !(checkpointAt > w.ackedAt && held));
    }
    const perPromotion = this.promotions.map(({ at: p }) => {
      const crashes = this.crashLog.filter((c) => c.at < p);
      const checkpoint = this.checkpoints.filter((k) => k.at < p).at(-1) ?? null;
      const holdersGone = checkpoint ? checkpoint.holders.every((h) => crashes.some((c) => c.member === h && c.at >= checkpoint.at)) : true;
      // For each node: the latest crash before p of any other node.
      const latestOtherCrash = this.members.map((_, x) => Math.max(-1, ...crashes.filter((c) => c.member !== x).map((c) => c.at)));
      return { p, checkpointAt: checkpoint?.at ?? -1, holdersGone, latestOtherCrash };
    });
    return (w) =>
      perPromotion.some(({ p, checkpointAt, holdersGone, latestOtherCrash }) => {
        if (p <= w.ackedAt) return false;
        if (checkpointAt > w.ackedAt) return holdersGone;
        return latestOtherCrash[w.master]! >= w.sentAt;
      });
  }

  /** One fault, drawn from the seed among those the current state allows. */
  private async fault(): Promise<void> {
    const down = this.members.filter((m) => m.node === null);
    const replicas = this.aliveReplicas();
    const choices: Array<[string, number]> = [];
    // At most two nodes down at once, and always a running replica to promote.
    // Sentinels start no new failover of a master within twice failover-timeout of the last one.
    const sentinelsReady = !this.bySentinels || Date.now() - this.lastPromotionAt > 2 * FAILOVER_TIMEOUT_MS + 1000;
    if (down.length < 2 && replicas.length >= 2) choices.push(['crash-replica', 2]);
    if (down.length < 2 && replicas.length >= 2 && sentinelsReady) choices.push(['crash-master', 2]);
    if (down.length > 0) choices.push(['restart', 3]);
    if (replicas.some((m) => m.relay && m.restoreTimer === null)) choices.push(['cut', 3]);
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.rnd() * total;
    let choice = choices.find(([, w]) => (roll -= w) < 0)?.[0];
    // Every run fails over at least once, whatever the seed draws: by the fourth fault at the latest.
    if (this.promotions.length === 0 && ++this.faults >= 4 && choices.some(([name]) => name === 'crash-master')) choice = 'crash-master';
    switch (choice) {
      case 'crash-replica':
        return this.crash(this.pick(replicas));
      case 'crash-master':
        await this.crash(this.master);
        return this.bySentinels ? this.sentinelFailover() : this.failover();
      case 'restart':
        return this.restart(this.pick(down));
      case 'cut':
        return this.cut(this.pick(replicas.filter((m) => m.relay && m.restoreTimer === null)));
    }
  }

  private async crash(member: Member): Promise<void> {
    const node = member.node!;
    node.server.proc.kill('SIGKILL');
    member.node = null;
    this.crashLog.push({ member: this.members.indexOf(member), at: this.tick() });
    this.crashes++;
    this.log(`crash ${member.name}${member === this.master ? ' (master)' : ''}`);
    await node.stop().catch(() => {});
    await this.closeRelay(member);
  }

  private async closeRelay(member: Member): Promise<void> {
    if (member.restoreTimer) clearTimeout(member.restoreTimer);
    member.restoreTimer = null;
    await member.relay?.close();
    member.relay = null;
  }

  /** Promotes the running replica with the highest offset and re-points the others to it. */
  private async failover(): Promise<void> {
    let best: Member | null = null;
    let bestOffset = -1;
    for (const m of this.aliveReplicas()) {
      const info = await withTimeout(m.node!.info(), 5000).catch(() => null);
      const offset = Number(info?.get('master_repl_offset') ?? -1);
      if (offset > bestOffset) [best, bestOffset] = [m, offset];
    }
    if (!best) throw new Error('no running replica to promote');
    await this.closeRelay(best);
    await best.node!.ok('REPLICAOF', 'NO', 'ONE');
    this.promotions.push({ at: this.tick(), promoted: this.members.indexOf(best) });
    this.master = best;
    this.log(`promote ${best.name} at offset ${bestOffset}`);
    for (const m of this.aliveReplicas()) await this.repoint(m);
  }

  /** The address (port) at least two of the three Sentinels give for the master, or null. */
  private async sentinelMaster(): Promise<number | null> {
    const addrs = await Promise.all(this.sentinels.map((s) => withTimeout(s.masterAddr(MASTER_NAME), 3000).catch(() => null)));
    for (const addr of addrs) {
      if (addr !== null && addrs.filter((a) => a === addr).length >= 2) return Number(addr.split(':')[1]);
    }
    return null;
  }

  /** If the Sentinels agree on a master other than the run's, writes go there from now on. */
  private async followSentinels(): Promise<boolean> {
    if (!this.bySentinels) return false;
    const port = await this.sentinelMaster();
    const promoted = this.members.find((m) => m.port === port);
    if (!promoted || promoted === this.master) return false;
    this.promotions.push({ at: this.tick(), promoted: this.members.indexOf(promoted) });
    this.lastPromotionAt = Date.now();
    this.log(`sentinels promoted ${promoted.name} (was ${this.master.name})`);
    this.master = promoted;
    return true;
  }

  /** Waits for the Sentinels to fail the crashed master over; they re-point the replicas. */
  private async sentinelFailover(): Promise<void> {
    await waitFor('the sentinels promote a replica', () => this.followSentinels(), 60000);
  }

  private async repoint(member: Member): Promise<void> {
    await this.closeRelay(member);
    member.relay = await LinkRelay.open(this.master.port);
    await member.node!.ok('REPLICAOF', '127.0.0.1', String(member.relay.port));
  }

  private async restart(member: Member): Promise<void> {
    await this.followSentinels();
    await this.start(member, this.master);
    this.restarts++;
    this.log(`restart ${member.name} as replica of ${this.master.name}`);
  }

  private cut(member: Member): void {
    const relay = member.relay!;
    relay.setFault({ kind: 'cut' });
    this.linkCuts++;
    const ms = this.between(150, 1500);
    this.log(`cut ${member.name} for ${ms} ms`);
    member.restoreTimer = setTimeout(() => {
      member.restoreTimer = null;
      relay.setFault({ kind: 'none' });
    }, ms);
  }

  private async writeLoop(): Promise<void> {
    const waitMs = this.options.waitTimeoutMs ?? 300;
    let client: RespClient | null = null;
    let clientFor: Member | null = null;
    let next = 0;
    while (!this.stopWriting) {
      const target = this.master;
      if (client === null || clientFor !== target) {
        client?.close();
        client = null;
        try {
          client = await withTimeout(RespClient.open(target.port), 2000);
          clientFor = target;
        } catch {
          await sleep(50);
          continue;
        }
      }
      const id = next++;
      const masterIndex = this.members.indexOf(target);
      this.writes++;
      const sentAt = this.tick();
      try {
        const reply = await withTimeout(client.call('SET', `w:${id}`, String(id)), 5000);
        if (reply !== 'OK') {
          await sleep(20); // e.g. READONLY from a master being switched: the next write goes to the new one
          continue;
        }
        this.written++;
        const replicas = await withTimeout(client.call('WAIT', 1, waitMs), waitMs + 5000);
        if (typeof replicas === 'number' && replicas >= 1) this.acked.push({ id, master: masterIndex, sentAt, ackedAt: this.tick() });
      } catch {
        client.close();
        client = null;
      }
    }
    client?.close();
  }

  /** Heals every fault, restarts every crashed node, waits for the replicas to catch up, checks. */
  private async healAndCheck(): Promise<ChaosReport> {
    for (const m of this.members) {
      if (m.restoreTimer) clearTimeout(m.restoreTimer);
      m.restoreTimer = null;
      m.relay?.setFault({ kind: 'none' });
    }
    for (const m of this.members.filter((x) => x.node === null)) await this.restart(m);
    if (this.bySentinels) {
      await waitFor('the sentinels agree on the master', async () => (await this.sentinelMaster()) === this.master.port, 60000);
    }
    const master = this.master;
    await waitFor(
      'every replica caught up with the master',
      async () => {
        const offset = (await this.info(master)).get('master_repl_offset');
        for (const m of this.aliveReplicas()) {
          const info = await this.info(m);
          if (info.get('master_link_status') !== 'up' || info.get('slave_repl_offset') !== offset) return false;
          if (this.bySentinels && info.get('master_port') !== String(master.port)) return false;
        }
        return true;
      },
      120000,
    );
    const digests: string[] = [];
    for (const m of this.members) digests.push(String(await this.command(m, 'DEBUG', 'DIGEST')));

    const excusedAt = this.excusal();
    const lostKeys: string[] = [];
    let excused = 0;
    let excusedLost = 0;
    for (let i = 0; i < this.acked.length; i += 1000) {
      const batch = this.acked.slice(i, i + 1000);
      const values = (await this.command(master, 'MGET', ...batch.map((w) => `w:${w.id}`))) as Array<Buffer | null>;
      for (const [j, w] of batch.entries()) {
        const present = values[j] !== null && values[j]!.toString() === String(w.id);
        if (excusedAt(w)) {
          excused++;
          if (!present) excusedLost++;
        } else if (!present) lostKeys.push(`w:${w.id}`);
      }
    }
    const outputs = this.outputs.map((o) => o());
    const count = (pattern: RegExp) => outputs.reduce((n, text) => n + (text.match(pattern)?.length ?? 0), 0);
    return {
      seed: this.options.seed,
      promoter: this.bySentinels ? 'sentinel' : 'manual',
      nodes: this.members.map((m) => m.name).join(','),
      writes: this.writes,
      written: this.written,
      acknowledged: this.acked.length,
      mustSurvive: this.acked.length - excused,
      lost: lostKeys.length,
      lostKeys: lostKeys.slice(0, 20),
      excused,
      excusedLost,
      crashes: this.crashes,
      restarts: this.restarts,
      linkCuts: this.linkCuts,
      failovers: this.promotions.length,
      fullSyncs: count(/Full resync from master/g),
      partialSyncs: count(/Successful partial resynchronization with master\./g),
      converged: digests.every((d) => d === digests[0]),
      digests,
    };
  }

  /**
   * INFO replication of a running member. With Sentinels, on a new connection each time: a
   * failover ends with CLIENT KILL TYPE normal on the nodes it reconfigures, which closes the
   * node's own client.
   */
  private info(member: Member): Promise<Map<string, string>> {
    return this.bySentinels ? freshInfo(member.port) : member.node!.info();
  }

  private async command(member: Member, ...argv: string[]): Promise<Reply> {
    if (!this.bySentinels) return member.node!.ok(...argv);
    const reply = await fresh(member.port, ...argv);
    if (isError(reply)) throw new Error(`${member.name} ${argv.slice(0, 2).join(' ')} -> ${reply.error}`);
    return reply;
  }

  async close(): Promise<void> {
    this.stopWriting = true;
    await Promise.all(this.sentinels.map((s) => s.stop()));
    for (const m of this.members) {
      await this.closeRelay(m);
      m.node?.server.proc.kill('SIGKILL');
      await m.node?.stop().catch(() => {});
      m.node = null;
      rmSync(m.dir, { recursive: true, force: true });
    }
  }
}

// A flapping link: a master, a replica whose REPLICAOF names the lab's link relay
// (src-main/host/links/link-relay.ts), and the relay cut and restored every few hundred
// milliseconds (durations drawn from a seed) while a client writes to the master without pause.
// Afterwards the link is left restored and the report says what a user would check: the
// replica caught up (DEBUG DIGEST equal), the master's sync_partial_ok grew with the reconnects and
// sync_full stayed at the one full sync of the first link (the backlog covered every gap).
// Used by the short test (test/integration/reliability/link-flapping.test.ts) and the soak.
import { LinkRelay } from '../../src-main/host/links/link-relay.js';
import { random, startNode, waitFor, waitInSync, type Kind, type Node } from './replication.js';

export interface FlappingOptions {
  master: Kind;
  replica: Kind;
  seed: number;
  durationMs: number;
  /** Each cut and each restored period lasts a duration drawn from this range. */
  periodMs?: [number, number];
  log?: (line: string) => void;
}

export interface FlappingReport {
  pair: string;
  seed: number;
  cuts: number;
  writes: number;
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
  converged: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stat(node: Node, name: string): Promise<number> {
  return Number((await node.info('stats')).get(name));
}

export async function runFlapping(options: FlappingOptions): Promise<FlappingReport> {
  const rnd = random(options.seed);
  const [min, max] = options.periodMs ?? [150, 500];
  const period = () => min + Math.floor(rnd() * (max - min + 1));
  const started: Node[] = [];
  let relay: LinkRelay | null = null;
  try {
    const master = await startNode(options.master);
    started.push(master);
    relay = await LinkRelay.open(master.port);
    const replica = await startNode(options.replica, ['--replicaof', `127.0.0.1 ${relay.port}`]);
    started.push(replica);
    await waitFor('the replica linked', async () => (await replica.info()).get('master_link_status') === 'up', 30000);

    let writing = true;
    let writes = 0;
    const writer = (async () => {
      for (let batch = 0; writing; batch++) {
        const commands = Array.from({ length: 50 }, (_, i) => ['SET', `flap:${(batch * 50 + i) % 20000}`, `${batch}:${i}`]);
        commands.push(['INCR', 'flap:counter'], ['RPUSH', 'flap:list', String(batch)], ['LTRIM', 'flap:list', '-100', '-1']);
        await master.client.pipeline(commands);
        writes += commands.length;
        await sleep(15);
      }
    })();

    let cuts = 0;
    const end = Date.now() + options.durationMs;
    while (Date.now() < end) {
      relay.setFault({ kind: 'cut' });
      cuts++;
      await sleep(period());
      relay.setFault({ kind: 'none' });
      await sleep(period());
    }
    writing = false;
    await writer;
    options.log?.(`flapping ${options.master}->${options.replica}: ${cuts} cuts, ${writes} writes; waiting for the replica`);
    await waitInSync(master, [replica]).catch(async () => {
      // waitInSync's own deadline is short for a loaded machine: give it another minute.
      await waitFor(
        'the replica caught up after the flapping',
        async () => {
          const offset = (await master.info()).get('master_repl_offset');
          const info = await replica.info();
          return info.get('master_link_status') === 'up' && info.get('slave_repl_offset') === offset;
        },
        60000,
      );
    });
    const [a, b] = [String(await master.ok('DEBUG', 'DIGEST')), String(await replica.ok('DEBUG', 'DIGEST'))];
    return {
      pair: `${options.master}->${options.replica}`,
      seed: options.seed,
      cuts,
      writes,
      syncFull: await stat(master, 'sync_full'),
      syncPartialOk: await stat(master, 'sync_partial_ok'),
      syncPartialErr: await stat(master, 'sync_partial_err'),
      converged: a === b,
    };
  } finally {
    await relay?.close();
    for (const node of started) await node.stop().catch(() => {});
  }
}

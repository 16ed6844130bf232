// The long run of the file fuzzer: as many inputs as fit in `seconds`, in a worker thread
// watched from here, so an input the loaders never finish is found too (the worker is ended and
// a new one goes on after that input), not only crashes and slow inputs.
import { Worker } from 'node:worker_threads';
import {
  FORMATS,
  HANG_MS,
  buildSeedCorpus,
  emptyReport,
  failureKind,
  makeInput,
  type FuzzFailure,
  type FuzzReport,
  type SeedCorpus,
} from './index.js';
import { COUNTS, type SoakWorkerData, type SoakWorkerMessage } from './soak-worker.js';

export interface SoakReport {
  seed: number;
  seconds: number;
  inputsTried: number;
  refused: number;
  accepted: number;
  crashes: number;
  hangs: number;
  /** The first failure of each kind, with its input as hex (replay: makeInput(corpus, format, seed, index)). */
  failures: FuzzFailure[];
}

/** An input that holds the worker this long never ends (HANG_MS is the per-input bound the report checks). */
const STUCK_MS = Math.max(10_000, HANG_MS * 5);

export async function runFileFuzzSoak(options: { seconds: number; seed?: number; corpus?: SeedCorpus }): Promise<SoakReport> {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const corpus = options.corpus ?? (await buildSeedCorpus());
  const deadline = Date.now() + options.seconds * 1000;
  const total = emptyReport();
  let firstInput = 0;
  while (Date.now() < deadline) {
    const progress = new Int32Array(new SharedArrayBuffer(4 * (1 + COUNTS.length)));
    const stuckAt = await runWorker({ corpus, seed, firstInput, deadline, progress }, total);
    COUNTS.forEach((key, i) => (total[key] += Atomics.load(progress, i + 1)));
    if (stuckAt === null) break;
    const format = FORMATS[stuckAt % FORMATS.length]!;
    const index = Math.floor(stuckAt / FORMATS.length);
    const input = makeInput(corpus, format, seed, index);
    total.inputsTried++;
    total.hangs++;
    total.failures.push({
      format,
      seed,
      index,
      from: input.from,
      how: input.how,
      problem: `never finished (${STUCK_MS} ms)`,
      hex: input.bytes.subarray(0, 4096).toString('hex'),
    });
    firstInput = stuckAt + 1;
  }
  const { inputsTried, refused, accepted, crashes, hangs, failures } = total;
  return { seed, seconds: options.seconds, inputsTried, refused, accepted, crashes, hangs, failures };
}

/** Runs one worker until the deadline (null) or until an input holds it (that input's number). */
function runWorker(data: SoakWorkerData, total: FuzzReport): Promise<number | null> {
  // A worker does not inherit the TypeScript loader its parent was started with: it registers
  // tsx's first, then imports the loop.
  const boot = `(async () => {
    const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))});
    register();
    await import(${JSON.stringify(new URL('./soak-worker.ts', import.meta.url).href)});
  })();`;
  const worker = new Worker(boot, { eval: true, workerData: data });
  return new Promise((resolve, reject) => {
    let last = -1;
    let lastChange = Date.now();
    const watch = setInterval(() => {
      const now = Atomics.load(data.progress, 0);
      if (now !== last) {
        last = now;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > STUCK_MS) {
        clearInterval(watch);
        void worker.terminate().then(() => resolve(now));
      }
    }, 500);
    worker.on('message', (message: SoakWorkerMessage) => {
      const failure = 'failure' in message ? message.failure : null;
      if (failure && total.failures.length < 50 && !total.failures.some((f) => failureKind(f) === failureKind(failure))) {
        total.failures.push(failure);
      }
      if ('done' in message) {
        clearInterval(watch);
        void worker.terminate().then(() => resolve(null));
      }
    });
    worker.on('error', (err) => {
      clearInterval(watch);
      reject(err);
    });
  });
}

// The soak's fuzz loop, in a worker thread so that the main thread can watch it: before each
// input the worker stores the input's number in shared memory; a number that stops moving is an
// input the loaders hang on, and the main thread ends the worker and starts another after it.
import { parentPort, workerData } from 'node:worker_threads';
import { FORMATS, emptyReport, fuzzOne, type FuzzFailure } from './index.js';
import type { SeedCorpus } from './corpus.js';

export interface SoakWorkerData {
  corpus: SeedCorpus;
  seed: number;
  /** The input number to start from (inputs are numbered index * FORMATS.length + format). */
  firstInput: number;
  deadline: number;
  /**
   * Shared with the main thread: [0] the input being run, then the counts so far (COUNTS order),
   * kept here rather than posted so that a worker ended on a hang loses none.
   */
  progress: Int32Array;
}

export const COUNTS = ['inputsTried', 'refused', 'accepted', 'crashes', 'hangs'] as const;

/** A failure, posted as soon as it is found; `done` once the deadline is reached. */
export type SoakWorkerMessage = { failure: FuzzFailure } | { done: true };

const data = workerData as SoakWorkerData | null;
if (data) run(data);

function run(data: SoakWorkerData): void {
  // Buffers arrive as Uint8Arrays: make them Buffers again.
  const asBuffers = (m: Map<string, Uint8Array>) => new Map([...m].map(([k, v]) => [k, Buffer.from(v.buffer, v.byteOffset, v.byteLength)]));
  const corpus: SeedCorpus = {
    payloads: asBuffers(data.corpus.payloads),
    rdbFiles: asBuffers(data.corpus.rdbFiles),
    aofFiles: asBuffers(data.corpus.aofFiles),
    manifests: asBuffers(data.corpus.manifests),
  };
  for (let n = data.firstInput; Date.now() < data.deadline; n++) {
    Atomics.store(data.progress, 0, n);
    const report = emptyReport();
    fuzzOne(corpus, FORMATS[n % FORMATS.length]!, data.seed, Math.floor(n / FORMATS.length), report);
    COUNTS.forEach((key, i) => report[key] && Atomics.add(data.progress, i + 1, report[key]));
    for (const failure of report.failures) parentPort!.postMessage({ failure } satisfies SoakWorkerMessage);
  }
  parentPort!.postMessage({ done: true } satisfies SoakWorkerMessage);
}

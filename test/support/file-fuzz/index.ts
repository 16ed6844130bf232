// The file fuzzer: seeded, deterministic mutations of a seed corpus of real RDB files, AOF
// files, AOF manifests and DUMP payloads, each run through the engine's loaders in process
// (targets.ts). Input i of seed s is always the same bytes (`makeInput`), so any failure can be
// replayed from the two numbers it is reported with, and kept as a hex string in a test.
import { Random, inputSeed } from './random.js';
import { mutateAof, mutateManifest, mutatePayload, mutateRdbFile, payloadBody, rdbFileFromPayloadBody } from './mutators.js';
import { runInput, type FuzzFormat, type Outcome } from './targets.js';
import type { SeedCorpus } from './corpus.js';

export { buildSeedCorpus, type SeedCorpus } from './corpus.js';
export { runInput, type FuzzFormat, type Outcome } from './targets.js';
export { Random } from './random.js';

export const FORMATS: readonly FuzzFormat[] = ['restore', 'rdb', 'aof', 'manifest'];

/** An input slower than this is reported as a hang (the inputs are a few kB at most). */
export const HANG_MS = 2000;

export interface FuzzInput {
  format: FuzzFormat;
  /** The seed file it was made from, and the mutations applied. */
  from: string;
  how: string;
  bytes: Buffer;
}

/** Input `index` of run `seed` for `format`: the same bytes every time. */
export function makeInput(corpus: SeedCorpus, format: FuzzFormat, seed: number, index: number): FuzzInput {
  const rng = new Random(inputSeed(seed, index));
  const payloads = [...corpus.payloads.entries()];
  switch (format) {
    case 'restore': {
      const [from, payload] = rng.pick(payloads);
      const { bytes, how } = mutatePayload(
        payload,
        rng,
        payloads.map(([, p]) => p),
      );
      return { format, from, how, bytes };
    }
    case 'rdb': {
      // Half whole files; half one key wrapped in a file, so structure-aware damage reaches the loader too.
      if (rng.chance(0.5)) {
        const [from, file] = rng.pick([...corpus.rdbFiles.entries()]);
        const { bytes, how } = mutateRdbFile(file, rng);
        return { format, from, how, bytes };
      }
      const [from, payload] = rng.pick(payloads);
      const mutated = mutatePayload(payload, rng, []);
      return { format, from: `${from} in a file`, how: mutated.how, bytes: rdbFileFromPayloadBody(payloadBody(mutated.bytes)) };
    }
    case 'aof': {
      const [from, file] = rng.pick([...corpus.aofFiles.entries()]);
      const { bytes, how } = mutateAof(file, rng);
      return { format, from, how, bytes };
    }
    case 'manifest': {
      const [from, file] = rng.pick([...corpus.manifests.entries()]);
      const { bytes, how } = mutateManifest(file, rng);
      return { format, from, how, bytes };
    }
  }
}

export interface FuzzFailure {
  format: FuzzFormat;
  seed: number;
  index: number;
  from: string;
  how: string;
  problem: string;
  /** The input, for a regression test (cut to 4 kB: the failures found so far were all shorter). */
  hex: string;
}

export interface FuzzReport {
  inputsTried: number;
  refused: number;
  accepted: number;
  crashes: number;
  hangs: number;
  byFormat: Record<FuzzFormat, { tried: number; refused: number; accepted: number }>;
  failures: FuzzFailure[];
}

export function emptyReport(): FuzzReport {
  const byFormat = Object.fromEntries(FORMATS.map((f) => [f, { tried: 0, refused: 0, accepted: 0 }])) as FuzzReport['byFormat'];
  return { inputsTried: 0, refused: 0, accepted: 0, crashes: 0, hangs: 0, byFormat, failures: [] };
}

/** Runs input `index` of `seed` and adds it to `report`; returns its outcome. */
export function fuzzOne(corpus: SeedCorpus, format: FuzzFormat, seed: number, index: number, report: FuzzReport): Outcome {
  const input = makeInput(corpus, format, seed, index);
  const outcome = runInput(format, input.bytes, new Random(inputSeed(seed, index) ^ 0xa5a5a5a5));
  report.inputsTried++;
  report.byFormat[format].tried++;
  let problem: string | null = null;
  if (outcome.kind === 'failure') {
    report.crashes++;
    problem = outcome.problem;
  } else if (outcome.ms > HANG_MS) {
    report.hangs++;
    problem = `took ${Math.round(outcome.ms)} ms`;
  } else {
    report[outcome.kind]++;
    report.byFormat[format][outcome.kind]++;
  }
  // One failure kept per kind of problem, so a frequent bug does not hide the others.
  if (
    problem !== null &&
    report.failures.length < 50 &&
    !report.failures.some((f) => failureKind(f) === failureKind({ format, problem }))
  ) {
    report.failures.push({
      format,
      seed,
      index,
      from: input.from,
      how: input.how,
      problem,
      hex: input.bytes.subarray(0, 4096).toString('hex'),
    });
  }
  return outcome;
}

/** What makes two failures the same bug for the report: the format and the problem, numbers aside. */
export function failureKind(f: Pick<FuzzFailure, 'format' | 'problem'>): string {
  return `${f.format}:${f.problem.replace(/\d+/g, 'N').slice(0, 80)}`;
}

/** `count` inputs of each format, in turn. */
export function fuzzRun(corpus: SeedCorpus, seed: number, count: number): FuzzReport {
  const report = emptyReport();
  for (let i = 0; i < count; i++) for (const format of FORMATS) fuzzOne(corpus, format, seed, i, report);
  return report;
}

// `npm run soak [-- --minutes N] [--seed S]`: the long reliability runs, on real processes.
//   - chaos (test/support/chaos.ts): five nodes, ours and Debian's redis-server mixed, writes
//     acknowledged with WAIT 1, crashes, restarts, link cuts and failovers; in rounds of a few
//     minutes with fresh nodes (seed, seed+1, ...), so that one round's dataset stays small;
//     rounds alternate between promotions by the run and by three of our Sentinels;
//   - link flapping (test/support/link-flapping.ts): a link cut and restored every few hundred ms,
//     for each pair of ours and redis-server;
//   - file fuzzing (test/support/file-fuzz/): mutated RDB, AOF, manifest and DUMP inputs given to
//     the loaders, each in a watched worker so that a hang is seen.
// About 60% of the time goes to chaos, 25% to flapping and 15% to file fuzzing. Prints one line
// per round and a report at the end; exits 1 if an acknowledged write was lost, the nodes did not
// converge, a flapping link needed a full sync, or a fuzzed input crashed or hung a loader.
import { parseArgs } from 'node:util';
import { runChaos, type ChaosReport } from '../support/chaos.js';
import { runFileFuzzSoak } from '../support/file-fuzz/soak.js';
import { runFlapping, type FlappingReport } from '../support/link-flapping.js';
import type { Kind } from '../support/replication.js';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '10' }, seed: { type: 'string' } },
});
const minutes = Number(values.minutes);
if (!(minutes > 0)) throw new Error(`--minutes must be a positive number, not ${values.minutes}`);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const totalMs = minutes * 60_000;
const startedAt = Date.now();
const say = (line: string) => console.log(`[soak ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)}s] ${line}`);

say(`seed ${seed} (repeat with --seed ${seed}), ${minutes} min`);

// Chaos, in rounds of at most 3 minutes.
const chaosMs = totalMs * 0.6;
const chaos: ChaosReport[] = [];
for (let round = 0, left = chaosMs; left > 20_000; round++) {
  const durationMs = Math.min(180_000, left);
  left -= durationMs;
  // Rounds 1, 3, ... promote by hand; rounds 2, 4, ... leave it to three of our Sentinels.
  const promoter = round % 2 === 0 ? 'manual' : 'sentinel';
  const report = await runChaos({ seed: seed + round, durationMs, promoter });
  chaos.push(report);
  say(
    `chaos round ${round + 1} (${promoter}) seed ${report.seed}: ${report.writes} writes, ${report.acknowledged} acknowledged, ${report.lost} lost, ` +
      `${report.crashes} crashes, ${report.failovers} failovers, ${report.linkCuts} link cuts, converged ${report.converged}`,
  );
}

// Link flapping: the time split between the pairs.
const PAIRS: Array<[Kind, Kind]> = [
  ['ours', 'ours'],
  ['redis', 'ours'],
  ['ours', 'redis'],
];
const flapping: FlappingReport[] = [];
for (const [i, [master, replica]] of PAIRS.entries()) {
  const report = await runFlapping({ master, replica, seed: seed + i, durationMs: (totalMs * 0.25) / PAIRS.length });
  flapping.push(report);
  say(
    `flapping ${report.pair}: ${report.cuts} cuts, ${report.writes} writes, sync_full ${report.syncFull}, ` +
      `sync_partial_ok ${report.syncPartialOk}, converged ${report.converged}`,
  );
}

// File fuzzing.
const fuzz = await runFileFuzzSoak({ seconds: Math.round((totalMs * 0.15) / 1000), seed });
say(
  `file fuzzing: ${fuzz.inputsTried} inputs, ${fuzz.refused} refused, ${fuzz.accepted} accepted, ${fuzz.crashes} crashes, ${fuzz.hangs} hangs`,
);

const sum = (pick: (r: ChaosReport) => number) => chaos.reduce((n, r) => n + pick(r), 0);
const failures: string[] = [];
for (const r of chaos) {
  if (r.lost > 0) failures.push(`chaos seed ${r.seed}: ${r.lost} acknowledged writes lost (${r.lostKeys.join(' ')})`);
  if (!r.converged) failures.push(`chaos seed ${r.seed}: the nodes did not converge`);
}
if (fuzz.crashes + fuzz.hangs > 0) failures.push(`file fuzzing: ${fuzz.crashes} crashes, ${fuzz.hangs} hangs (inputs in the report)`);
for (const r of flapping) {
  if (!r.converged) failures.push(`flapping ${r.pair} seed ${r.seed}: the replica did not converge`);
  if (r.syncFull !== 1) failures.push(`flapping ${r.pair} seed ${r.seed}: ${r.syncFull} full syncs`);
}
const report = {
  minutes: Number(((Date.now() - startedAt) / 60_000).toFixed(1)),
  seed,
  chaosRounds: chaos.length,
  writes: sum((r) => r.writes),
  acknowledged: sum((r) => r.acknowledged),
  mustSurvive: sum((r) => r.mustSurvive),
  lost: sum((r) => r.lost),
  excusedLost: sum((r) => r.excusedLost),
  crashes: sum((r) => r.crashes),
  restarts: sum((r) => r.restarts),
  failovers: sum((r) => r.failovers),
  sentinelFailovers: sum((r) => (r.promoter === 'sentinel' ? r.failovers : 0)),
  linkCuts: sum((r) => r.linkCuts),
  chaosFullSyncs: sum((r) => r.fullSyncs),
  chaosPartialSyncs: sum((r) => r.partialSyncs),
  flappingCuts: flapping.reduce((n, r) => n + r.cuts, 0),
  flappingFullSyncs: flapping.reduce((n, r) => n + r.syncFull, 0),
  flappingPartialSyncs: flapping.reduce((n, r) => n + r.syncPartialOk, 0),
  faultsSurvived: sum((r) => r.crashes + r.failovers + r.linkCuts) + flapping.reduce((n, r) => n + r.cuts, 0),
  fuzzInputs: fuzz.inputsTried,
  fuzzRefused: fuzz.refused,
  fuzzAccepted: fuzz.accepted,
  fuzzCrashes: fuzz.crashes,
  fuzzHangs: fuzz.hangs,
  failures,
};
console.log('\nSoak report');
for (const [name, value] of Object.entries(report))
  console.log(`  ${name.padEnd(22)} ${Array.isArray(value) ? value.length || 'none' : value}`);
for (const failure of failures) console.log(`  FAILED: ${failure}`);
console.log(JSON.stringify(report));
process.exit(failures.length ? 1 : 0);

// The short chaos run of `npm test` (the long one is `npm run soak`): five nodes, ours and
// Debian's redis-server mixed, under continuous writes acknowledged with WAIT 1, with crashes
// (SIGKILL), restarts, link cuts and promotions of the most advanced replica drawn from a seed.
// The invariant (stated in full in test/support/chaos.ts and docs/reliability.md): at the end every
// node has the master's DEBUG DIGEST, and no write WAIT acknowledged is missing from the final
// master, unless some replica was crashed between its sending and a later promotion.
// The second test makes the same run with three of our Sentinels promoting instead of the run
// (no link cuts there, and a weaker invariant at a promotion: see test/support/chaos.ts).
// CHAOS_SEED=<n> repeats a run's fault schedule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runChaos } from '../../support/chaos.js';

test('chaos: crashes, restarts, link cuts and failovers lose no acknowledged write, and every node converges', async () => {
  const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`chaos seed ${seed} (repeat with CHAOS_SEED=${seed})`);
  const report = await runChaos({ seed, durationMs: 30000, log: (line) => console.log(line) });
  console.log(JSON.stringify(report));
  assert.ok(report.acknowledged > 100, `writes acknowledged: ${report.acknowledged}`);
  assert.ok(report.crashes >= 1 && report.failovers >= 1, 'the run crashed nodes and failed over');
  assert.equal(report.converged, true, `digests differ: ${report.digests.join(' ')} (seed ${seed})`);
  assert.equal(report.lost, 0, `acknowledged writes lost: ${report.lostKeys.join(' ')} (seed ${seed})`);
});

test('chaos with Sentinels: the Sentinels fail the crashed master over, and no covered acknowledged write is lost', async () => {
  const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31)) + 1;
  console.log(`chaos (sentinel) seed ${seed} (repeat with CHAOS_SEED=${seed - 1})`);
  const report = await runChaos({ seed, durationMs: 35000, promoter: 'sentinel', log: (line) => console.log(line) });
  console.log(JSON.stringify(report));
  assert.ok(report.acknowledged > 100, `writes acknowledged: ${report.acknowledged}`);
  assert.ok(report.crashes >= 1 && report.failovers >= 1, 'the run crashed nodes and the Sentinels failed over');
  // The weaker Sentinel invariant must still cover most writes: only a few ms before each crash are excused.
  assert.ok(report.mustSurvive > report.acknowledged / 2, `writes the invariant covers: ${report.mustSurvive} of ${report.acknowledged}`);
  assert.equal(report.converged, true, `digests differ: ${report.digests.join(' ')} (seed ${seed})`);
  assert.equal(report.lost, 0, `acknowledged writes lost: ${report.lostKeys.join(' ')} (seed ${seed})`);
});

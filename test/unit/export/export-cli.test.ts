// The `replica-lab export` command's options: times as ISO, epoch ms or an age, and the errors a
// user sees for a wrong command line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { parseExportArgs, parseTime } from '../../../src-main/host/export/export-cli.js';

test('times: an age before now, ms since the epoch, or an ISO date/time', () => {
  const now = 1_800_000_000_000;
  assert.equal(parseTime('90s', now), now - 90_000);
  assert.equal(parseTime('15m', now), now - 900_000);
  assert.equal(parseTime('2h', now), now - 7_200_000);
  assert.equal(parseTime('1d', now), now - 86_400_000);
  assert.equal(parseTime('1700000000000', now), 1_700_000_000_000);
  assert.equal(parseTime('2026-12-07T13:00:00Z', now), Date.UTC(2026, 11, 7, 13));
  assert.throws(() => parseTime('yesterday', now), /not a time: "yesterday"/);
});

test('options: both spellings, the required ones, and nothing unknown', () => {
  const args = parseExportArgs(['--data-dir', 'lab', '--out=x.tar.gz', '--since', '1700000000000', '--include-data']);
  assert.deepEqual(args, { dataDir: resolve('lab'), out: resolve('x.tar.gz'), since: 1_700_000_000_000, includeData: true });
  assert.throws(() => parseExportArgs(['--data-dir', 'lab']), /--data-dir and --out are required/);
  assert.throws(() => parseExportArgs(['--data-dir', 'lab', '--out', 'x', '--force']), /unknown option --force/);
  assert.throws(() => parseExportArgs(['--data-dir']), /--data-dir needs a value/);
});

// The lab's log rotation options on the command line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabArgs } from '../../../src-main/host/app/lab-args.js';

test('--log-max-mb and --log-files set the rotation; left out, the lab keeps its defaults', () => {
  assert.deepEqual(parseLabArgs(['--log-max-mb', '0.5', '--log-files=3'], true).logRotation, { maxBytes: 512 * 1024, keep: 3 });
  assert.deepEqual(parseLabArgs([], true).logRotation, {});
});

test('a rotation option that is not a positive number is refused with the usage', () => {
  assert.throws(() => parseLabArgs(['--log-files', '2.5'], true), /--log-files must be a positive integer, not "2.5"/);
  assert.throws(() => parseLabArgs(['--log-max-mb', '0'], true), /--log-max-mb must be a positive number/);
});

// LogRotator on real files: when it rotates, how the parts move up, and that it keeps no more
// than it is told to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LogRotator, logPartsInOrder } from '../../../src-main/host/nodes/log-rotation.js';
import { NodeLog } from '../../../src-main/host/nodes/node-log.js';
import { tempDir } from '../../support/servers.js';

/** Appends a line as the node does, then tells the rotator, as the host does when the line arrives. */
function write(rotator: LogRotator, file: string, line: string): void {
  appendFileSync(file, line + '\n');
  rotator.written(line);
}

test('a log rotates when it reaches maxBytes, and only `keep` parts are kept, oldest dropped', () => {
  const dir = tempDir('replicalab-rotator-');
  try {
    const file = join(dir, 'node.log');
    const rotator = new LogRotator(file, { maxBytes: 100, keep: 3 });
    // 9 bytes a line: 12 lines to pass 100 bytes.
    for (let i = 0; i < 11; i++) write(rotator, file, `line ${String(i).padStart(3, '0')}`);
    assert.ok(!existsSync(`${file}.1`), 'not rotated before the limit');
    write(rotator, file, 'line 011');
    assert.ok(existsSync(`${file}.1`) && !existsSync(file), 'rotated at the limit');
    for (let i = 12; i < 55; i++) write(rotator, file, `line ${String(i).padStart(3, '0')}`);
    const parts = logPartsInOrder(file);
    assert.deepEqual(parts, [`${file}.3`, `${file}.2`, `${file}.1`, file]);
    const lines = parts.flatMap((p) => readFileSync(p, 'utf8').split('\n').filter(Boolean));
    // 55 lines written, 12 per part: the oldest part (lines 0-11) was dropped, the rest are in order.
    assert.deepEqual(
      lines,
      Array.from({ length: 43 }, (_, i) => `line ${String(i + 12).padStart(3, '0')}`),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lab reopened counts what node.log already holds', () => {
  const dir = tempDir('replicalab-rotator-');
  try {
    const file = join(dir, 'node.log');
    appendFileSync(file, 'x'.repeat(95) + '\n');
    const rotator = new LogRotator(file, { maxBytes: 100, keep: 2 });
    write(rotator, file, 'more');
    assert.ok(existsSync(`${file}.1`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the log view reopened just after a rotation still shows the tail, from node.log.1 and node.log', () => {
  const dir = tempDir('replicalab-rotator-');
  try {
    const file = join(dir, 'node.log');
    appendFileSync(`${file}.2`, 'oldest\n');
    appendFileSync(`${file}.1`, 'older 1\nolder 2\n');
    appendFileSync(file, 'newest\n');
    assert.deepEqual(new NodeLog(file).tail(10), ['older 1', 'older 2', 'newest']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

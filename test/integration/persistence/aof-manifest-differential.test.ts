// Every manifest problem Redis 7.0 detects (aofLoadManifestFromFile), given to our node and to
// Debian's redis-server: the same "FATAL AOF MANIFEST FILE ERROR" lines (the line number, the line,
// the reason, each once), the same refusal to start, and the files left as they were; and the
// manifests Redis accepts (comments, unknown extra keys, quoted names, history entries) load alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDIS_SERVER_VERSION } from '../../support/differential.js';
import { startOnAofDir, type AofStart } from '../../support/aof-start.js';

const command = (key: string): string => `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$1\r\nv\r\n`;
const FILES: Record<string, string> = {
  'appendonly.aof.1.base.aof': command('base1'),
  'appendonly.aof.2.base.aof': command('base2'),
  'appendonly.aof.1.incr.aof': command('incr1'),
  'appendonly.aof.3.incr.aof': command('incr3'),
};
const BASE = 'file appendonly.aof.1.base.aof seq 1 type b\n';
const INCR1 = 'file appendonly.aof.1.incr.aof seq 1 type i\n';

const MANIFESTS: Record<string, string> = {
  'a blank line': `${BASE}\n${INCR1}`,
  'a line of spaces': `${BASE}   \n${INCR1}`,
  'an unknown type': `${BASE}file appendonly.aof.1.incr.aof seq 1 type x\n`,
  'a missing key': `${BASE}file appendonly.aof.1.incr.aof type i\n`,
  'a key without its value': `${BASE}file appendonly.aof.1.incr.aof seq 1 type\n`,
  'sequence 0': `${BASE}file appendonly.aof.1.incr.aof seq 0 type i\n`,
  'two base files': `${BASE}file appendonly.aof.2.base.aof seq 2 type b\n${INCR1}`,
  'decreasing sequence numbers': `${BASE}file appendonly.aof.3.incr.aof seq 3 type i\n${INCR1}`,
  'a duplicate sequence number': `${BASE}${INCR1}${INCR1}`,
  'an empty manifest': '',
  'a last line without newline': BASE.trimEnd(),
  'a line too long': `${BASE}${'x'.repeat(1100)}\n`,
  'a path instead of a file name': `${BASE}file dir/appendonly.aof.1.incr.aof seq 1 type i\n`,
  'an unbalanced quote': `file 'appendonly.aof.1.base.aof seq 1 type b\n${INCR1}`,
  'a file it names that does not exist': `${BASE}file appendonly.aof.9.incr.aof seq 9 type i\n`,
  'accepted: a comment': `# written by hand\n${BASE}${INCR1}`,
  'accepted: unknown extra keys': `${BASE}file appendonly.aof.1.incr.aof seq 1 type i future value\n`,
  'accepted: a quoted name': `file "appendonly.aof.1.base.aof" seq 1 type b\n${INCR1}`,
  'accepted: increasing sequences with a gap': `${BASE}${INCR1}file appendonly.aof.3.incr.aof seq 3 type i\n`,
};

/** What is compared: the start, the data, the files, and the warning lines (our start-up banner aside). */
function outcome(start: AofStart): AofStart {
  const warnings = start.log.filter((line, i, all) => /^[#] /.test(line) || (i > 0 && /^# $/.test(all[i - 1]!)));
  return {
    ...start,
    log: warnings.filter((line) => !/version=|compatible\)|WARNING|Server initialized|Configuration loaded|manifest is|oO0O/.test(line)),
  };
}

for (const [name, manifest] of Object.entries(MANIFESTS)) {
  test(`${name}: the same as redis-server`, async () => {
    const files = { ...FILES, 'appendonly.aof.manifest': manifest };
    const [ours, redis] = [outcome(await startOnAofDir('ours', files)), outcome(await startOnAofDir('redis', files))];
    assert.deepEqual(ours, redis, `ours, then redis-server ${REDIS_SERVER_VERSION}`);
    if (!name.startsWith('accepted')) assert.equal(ours.started, false);
  });
}

test('our node also names the manifest it could not read', async () => {
  const start = await startOnAofDir('ours', { ...FILES, 'appendonly.aof.manifest': `${BASE}\n` });
  assert.ok(start.log.some((line) => /# The AOF manifest is .*appendonlydir\/appendonly\.aof\.manifest$/.test(line)));
});

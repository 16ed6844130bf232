// Problems found while loading an AOF, reported exactly as redis-server 7.0 reports them, each line
// once: a transaction the file cuts off (reverted), a short read at the end (refused, or cut back
// with aof-load-truncated yes, new writes then appended after the cut so the file stays valid), an
// unknown command (refused). Both servers get the same files; their log lines about the AOF, their
// exit, the data they serve and the files they leave must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDIS_SERVER_VERSION } from '../../support/differential.js';
import { startOnAofDir, type AofStart } from '../../support/aof-start.js';

const MANIFEST = 'file appendonly.aof.1.incr.aof seq 1 type i\n';
const HEAD = '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n';
const CASES: Record<string, string> = {
  'an unfinished MULTI': '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n',
  'a short read inside a command': '*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$5\r\nab',
  'an unknown command': '*2\r\n$7\r\nFOOBAR1\r\n$1\r\nx\r\n',
};

/** What is compared: the start, the data, the files, and the log lines about the AOF. */
function outcome(start: AofStart): AofStart {
  return { ...start, log: start.log.filter((line) => /^[*#] .*(AOF|append only|MULTI|[Tt]runcat)/.test(line)) };
}

for (const [name, tail] of Object.entries(CASES)) {
  for (const truncated of ['yes', 'no']) {
    test(`${name}, aof-load-truncated ${truncated}: the same lines, data and file as redis-server`, async () => {
      const run = async (kind: 'ours' | 'redis') =>
        outcome(
          await startOnAofDir(
            kind,
            { 'appendonly.aof.manifest': MANIFEST, 'appendonly.aof.1.incr.aof': HEAD + tail },
            ['--aof-load-truncated', truncated],
            [['SET', 'after', 'restart']],
          ),
        );
      assert.deepEqual(await run('ours'), await run('redis'), `ours, then redis-server ${REDIS_SERVER_VERSION}`);
    });
  }
}

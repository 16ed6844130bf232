// Saves that fail, next to Debian's redis-server in the same situation: the node keeps serving,
// INFO and the log say what went wrong, writes get Redis's MISCONF error (stop-writes-on-bgsave-
// error) until a save succeeds, and a SHUTDOWN whose final save fails is refused.
//
// Two failures that stop root too: the data directory removed under the running server (the
// temp file cannot be created), and the temp file name made a symlink to /dev/full (every
// write fails with ENOSPC).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tempDir as newTempDir, type RunningServer } from '../../support/servers.js';
import { RespClient, type Reply } from '../../support/resp-client.js';

const KINDS = ['redis', 'ours'] as const;
/** A save point makes stop-writes-on-bgsave-error (default yes) apply. */
const WITH_SAVE_POINT = ['--save', '3600 1'];
const MISCONF =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. " +
  'Commands that may modify the data set are disabled, because this instance is configured to report errors ' +
  'during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = newTempDir('replicalab-fail-');
  dirs.push(dir);
  return dir;
}

async function infoPersistence(c: RespClient): Promise<Map<string, string>> {
  const text = String(await c.call('INFO', 'persistence'));
  return new Map(
    text
      .split('\r\n')
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
  );
}

async function bgsaveFinished(c: RespClient): Promise<Map<string, string>> {
  for (;;) {
    const info = await infoPersistence(c);
    if (info.get('rdb_bgsave_in_progress') === '0') return info;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the server's log matches (a log line may follow the reply by a moment). */
async function logged(server: RunningServer, pattern: RegExp): Promise<void> {
  for (let waited = 0; !pattern.test(server.output()); waited += 20) {
    if (waited > 5000) assert.fail(`no log line ${pattern} in:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const errorOf = (reply: Reply): string | undefined =>
  typeof reply === 'object' && reply !== null && 'error' in reply ? reply.error : undefined;

test('BGSAVE into a removed directory: still serving, INFO err, logged, MISCONF, and SHUTDOWN refused', async () => {
  for (const kind of KINDS) {
    const dir = tempDir();
    const server = await startServer(kind, WITH_SAVE_POINT, { dir });
    const c = await RespClient.open(server.port);
    try {
      assert.equal(await c.call('SET', 'k', 'v'), 'OK');
      rmSync(dir, { recursive: true });
      assert.equal(await c.call('BGSAVE'), 'Background saving started', kind);
      const info = await bgsaveFinished(c);
      assert.equal(info.get('rdb_last_bgsave_status'), 'err', kind);
      await logged(
        server,
        /Failed opening the temp RDB file temp-(?:bgsave-)?\d+\.rdb \(in server root dir .*\) for saving: No such file or directory/,
      );
      await logged(server, /Background saving error/);

      assert.equal(errorOf(await c.call('SET', 'k2', 'v')), MISCONF, kind);
      assert.equal(errorOf(await c.call('PING')), MISCONF, kind); // Redis denies PING too
      assert.equal(String(await c.call('GET', 'k')), 'v', kind);
      assert.equal(errorOf(await c.call('SAVE')), 'ERR', kind);

      assert.equal(errorOf(await c.call('SHUTDOWN')), 'ERR Errors trying to SHUTDOWN. Check logs.', kind);
      await logged(server, /Error trying to save the DB, can't exit\./);
      assert.equal(String(await c.call('GET', 'k')), 'v', `${kind} keeps serving after the refused SHUTDOWN`);

      server.proc.kill('SIGTERM');
      await logged(server, /Error trying to save the DB, can't exit\.[^]*Error trying to save the DB, can't exit\./);
      assert.equal(String(await c.call('GET', 'k')), 'v', `${kind} keeps serving after a SIGTERM it cannot honour`);
    } finally {
      c.close();
      await server.stop('SIGKILL');
    }
  }
});

test('a SAVE whose writes fail (temp file on /dev/full): ERR, the write error logged, and the next SAVE works', async () => {
  for (const kind of KINDS) {
    const dir = tempDir();
    const server = await startServer(kind, WITH_SAVE_POINT, { dir });
    const c = await RespClient.open(server.port);
    try {
      await c.call('SET', 'k', 'v'.repeat(1000));
      // rdbSave names its temp file after the saving process: the server itself for SAVE.
      const tempFile = join(dir, `temp-${server.proc.pid}.rdb`);
      symlinkSync('/dev/full', tempFile);
      assert.equal(errorOf(await c.call('SAVE')), 'ERR', kind);
      await logged(server, /Write error saving DB on disk\((rdbSaveRio|fflush)\): No space left on device/);
      assert.equal(await c.call('SAVE'), 'OK', `${kind}: the failed save removed its temp file, so this one works`);
    } finally {
      c.close();
      await server.stop();
    }
  }
});

test('our BGSAVE on a full disk: INFO err and MISCONF until the next BGSAVE succeeds', async () => {
  const dir = tempDir();
  // Our background save runs inside the server process: its temp file is temp-bgsave-<server pid>.rdb.
  const server = await startServer('ours', [...WITH_SAVE_POINT, '--enable-debug-command', 'yes'], { dir });
  const c = await RespClient.open(server.port);
  try {
    await c.call('DEBUG', 'POPULATE', 20000, 'key', 100);
    symlinkSync('/dev/full', join(dir, `temp-bgsave-${server.proc.pid}.rdb`));
    assert.equal(await c.call('BGSAVE'), 'Background saving started');
    assert.equal((await bgsaveFinished(c)).get('rdb_last_bgsave_status'), 'err');
    await logged(server, /Write error saving DB on disk\((rdbSaveRio|fflush)\): No space left on device/);
    assert.equal(errorOf(await c.call('SET', 'k', 'v')), MISCONF);

    assert.equal(await c.call('BGSAVE'), 'Background saving started');
    assert.equal((await bgsaveFinished(c)).get('rdb_last_bgsave_status'), 'ok');
    assert.equal(await c.call('SET', 'k', 'v'), 'OK');
  } finally {
    c.close();
    await server.stop();
  }
});

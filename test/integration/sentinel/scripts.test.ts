// notification-script and client-reconfig-script, run by our Sentinels as redis-sentinel runs
// them: the same scenario with three of ours and with three of Debian's, each Sentinel with its
// own pair of shell scripts that append their arguments to a file. After a failover every
// Sentinel's reconfig script has been told the move once (leader for the one that ran it,
// observer for the others), and the notification scripts heard the warnings (+sdown, +odown,
// +switch-master ...). SENTINEL PENDING-SCRIPTS shows a running script and one that exited with
// 1 (to be retried) with the same fields as redis-sentinel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crashAndFailOver, deploy } from '../../support/sentinel-failover.js';
import { startNode, waitFor, type Kind } from '../../support/replication.js';
import { fieldsOf, monitorLines, startSentinel } from '../../support/sentinel.js';
import { tempDir } from '../../support/servers.js';

function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

for (const kind of ['redis', 'ours'] as Kind[]) {
  const who = kind === 'ours' ? 'our Sentinels' : 'redis-sentinel';
  test(`${who} run the notification and client-reconfig scripts through a failover`, async () => {
    const dir = tempDir('replicalab-scripts-');
    const files = (i: number) => ({ notify: join(dir, `notify-${i}.log`), reconf: join(dir, `reconf-${i}.log`) });
    const d = await deploy('redis', [kind, kind, kind], {
      sentinelLines: (i) => [
        `sentinel notification-script mymaster ${script(dir, `notify-${i}.sh`, `echo "$@" >> ${files(i).notify}`)}`,
        `sentinel client-reconfig-script mymaster ${script(dir, `reconf-${i}.sh`, `echo "$@" >> ${files(i).reconf}`)}`,
      ],
    });
    try {
      const oldPort = d.master.port;
      const promoted = await crashAndFailOver(d);
      const move = `127.0.0.1 ${oldPort} 127.0.0.1 ${promoted.port}`;
      await waitFor(
        'every Sentinel ran its client-reconfig script',
        async () => [0, 1, 2].every((i) => lines(files(i).reconf).length >= 1),
        30000,
      );
      const reconf = [0, 1, 2].map((i) => lines(files(i).reconf));
      for (const got of reconf) {
        assert.equal(got.length, 1, `one reconfig call per Sentinel: ${JSON.stringify(reconf)}`);
        assert.match(got[0]!, new RegExp(`^mymaster (leader|observer) start ${move}$`));
      }
      assert.equal(reconf.filter((got) => got[0]!.includes(' leader ')).length, 1, `one leader: ${JSON.stringify(reconf)}`);

      await waitFor(
        'every notification script heard the switch',
        async () => [0, 1, 2].every((i) => lines(files(i).notify).some((l) => l === `+switch-master mymaster ${move}`)),
        30000,
      );
      for (const i of [0, 1, 2]) {
        const heard = lines(files(i).notify);
        assert.ok(heard.includes(`+sdown master mymaster 127.0.0.1 ${oldPort}`), heard.join('\n'));
        // Only warnings reach the script: +slave (a notice) never does.
        assert.ok(!heard.some((l) => l.startsWith('+slave ')), heard.join('\n'));
      }
      const leader = reconf.findIndex((got) => got[0]!.includes(' leader '));
      assert.ok(lines(files(leader).notify).some((l) => l.startsWith('+elected-leader master mymaster')));
    } finally {
      await d.stop();
    }
  });
}

test('SENTINEL PENDING-SCRIPTS shows running and retried scripts as redis-sentinel does', async () => {
  const master = await startNode('redis');
  const replies: Record<string, Map<string, string>[]> = {};
  try {
    for (const kind of ['redis', 'ours'] as Kind[]) {
      const dir = tempDir('replicalab-pending-');
      const slow = script(dir, 'slow.sh', 'sleep 5');
      const failing = script(dir, 'failing.sh', 'exit 1');
      const s = await startSentinel(kind, [
        ...monitorLines('slow', master.port, 1),
        `sentinel notification-script slow ${slow}`,
        ...monitorLines('failing', master.port, 1),
        `sentinel notification-script failing ${failing}`,
      ]);
      try {
        // +monitor, logged at start for each master, is a warning: it runs each master's script.
        let jobs: Map<string, string>[] = [];
        await waitFor(
          'the slow script running, the failing one waiting to be retried',
          async () => {
            const reply = await s.sentinel('PENDING-SCRIPTS');
            const all = (reply as unknown[]).map((job) => fieldsOf(job as never));
            const running = all.find((j) => j.get('argv')!.startsWith(`${slow},+monitor`) && j.get('flags') === 'running');
            const retried = all.find(
              (j) => j.get('argv')!.startsWith(`${failing},+monitor`) && j.get('flags') === 'scheduled' && j.get('retry-num') === '1',
            );
            jobs = running && retried ? [running, retried] : [];
            return jobs.length === 2;
          },
          10000,
        );
        replies[kind] = jobs;
      } finally {
        await s.stop();
      }
    }
  } finally {
    await master.stop();
  }
  const shape = (jobs: Map<string, string>[]) =>
    jobs
      .map((j) => [...j.keys()].join(',') + ' ' + j.get('flags') + ' ' + j.get('retry-num'))
      .sort()
      .join(' | ');
  assert.equal(shape(replies.ours!), shape(replies.redis!));
  const running = replies.ours!.find((j) => j.get('flags') === 'running')!;
  assert.ok(Number(running.get('pid')) > 0);
  const waiting = replies.ours!.find((j) => j.get('flags') === 'scheduled')!;
  assert.ok(Number(waiting.get('run-delay')) > 20000, `retried after about 30 s: ${waiting.get('run-delay')}`);
});

// The replica-lab-server process itself, as the installed bin starts it: V8's helper threads run
// below the event loop in CPU priority (bin/replica-lab-server.cjs explains why), and
// REPLICA_LAB_HELPER_NICE=0 leaves every thread as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { startServer } from '../../support/servers.js';

/** tid -> nice value of each thread of a process, from /proc (field 19 of stat). */
function threadNices(pid: number): Map<number, number> {
  const nices = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; count the fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    nices.set(Number(tid), Number(fields[16]));
  }
  return nices;
}

const onLinux = process.platform === 'linux' && existsSync('/proc/self/task');
/** The priority a spawned node starts with: this test process's own (0 unless it was reniced). */
const inherited = getPriority();

test('the event loop keeps its priority and the helper threads run at nice 19', { skip: !onLinux && 'needs Linux /proc' }, async () => {
  const node = await startServer('ours');
  try {
    const pid = node.proc.pid!;
    const nices = threadNices(pid);
    assert.equal(nices.get(pid), inherited, 'the event loop (main thread)');
    const lowered = [...nices].filter(([tid, nice]) => tid !== pid && nice === 19);
    // V8's platform workers (4 by default) and its delayed-task thread.
    assert.ok(lowered.length >= 4, `threads at nice 19: ${lowered.length} of ${nices.size}`);
    // libuv's file-system workers, started afterwards (the ESM loader reads the bundle through
    // them), keep the default: an fsync or a rename is not background work to put off.
    const atDefault = [...nices].filter(([tid, nice]) => tid !== pid && nice === inherited);
    assert.ok(atDefault.length >= 1, `threads besides the event loop at nice 0: ${atDefault.length}`);
  } finally {
    await node.stop();
  }
});

test('REPLICA_LAB_HELPER_NICE=0 leaves every thread at the default priority', { skip: !onLinux && 'needs Linux /proc' }, async () => {
  process.env.REPLICA_LAB_HELPER_NICE = '0';
  try {
    const node = await startServer('ours');
    try {
      const nices = threadNices(node.proc.pid!);
      assert.deepEqual([...new Set(nices.values())], [inherited]);
    } finally {
      await node.stop();
    }
  } finally {
    delete process.env.REPLICA_LAB_HELPER_NICE;
  }
});

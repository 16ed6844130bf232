// What a node writes to its AOF for the commands whose effect is not their own argv — pops (SPOP,
// LMPOP, ZMPOP and their blocking forms, served), relative expiries made absolute, GETEX, GETDEL,
// list moves, a key expiring on access — must be what redis-server writes, command for command, so
// that either server reloads the other's file into the same dataset. Absolute times differ by the
// moment each ran and are compared by shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REDIS_SERVER_VERSION } from '../../support/differential.js';
import { readAofIncrements } from '../../support/blocking-pair.js';
import { nodesForFile, startNode, waitFor, type Kind, type Node } from '../../support/replication.js';

const nodes = nodesForFile();

const SCRIPT: string[][] = [
  ['SADD', 's', 'a'],
  ['SPOP', 's'],
  ['SADD', 's2', 'a', 'b', 'c'],
  ['SPOP', 's2', '5'],
  ['RPUSH', 'l', 'a', 'b', 'c'],
  ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '2'],
  ['LMPOP', '1', 'l', 'RIGHT', 'COUNT', '5'],
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
  ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '2'],
  ['ZPOPMAX', 'z'],
  ['RPUSH', 'l2', 'x'],
  ['BLMPOP', '0', '1', 'l2', 'LEFT'],
  ['ZADD', 'z2', '1', 'a'],
  ['BZMPOP', '0', '1', 'z2', 'MAX'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['SET', 'k', 'v', 'EX', '100'],
  ['GETEX', 'k', 'PERSIST'],
  ['GETEX', 'k', 'EX', '50'],
  ['SETEX', 'k2', '100', 'v'],
  ['EXPIRE', 'k2', '-1'],
  ['GETDEL', 'k'],
  ['RPUSH', 'l3', 'a', 'b'],
  ['LMOVE', 'l3', 'l4', 'LEFT', 'RIGHT'],
  ['BLMOVE', 'l3', 'l4', 'LEFT', 'RIGHT', '0'],
  ['RPOPLPUSH', 'l4', 'l5'],
  ['SET', 'short', 'v', 'PX', '30'],
];

async function aofOf(kind: Kind): Promise<string[]> {
  const node: Node = nodes.track(await startNode(kind, ['--appendonly', 'yes']));
  for (const argv of SCRIPT) await node.ok(...argv);
  await new Promise((r) => setTimeout(r, 100));
  await node.client.call('GET', 'short'); // expired by now: deleted on access, and that is written
  await node.ok('SET', 'done', '1');
  const dir = join(node.server.dir, 'appendonlydir');
  let commands: string[][] = [];
  await waitFor(`${kind} wrote the last command`, () => {
    commands = readAofIncrements(dir);
    return commands.at(-1)?.[1] === 'done';
  });
  // Absolute unix times in ms depend on when each server ran the command.
  return commands.map((argv) => argv.map((arg) => (/^\d{13}$/.test(arg) ? '<ms>' : arg)).join(' '));
}

test('the AOF holds the same effects as redis-server writes', async () => {
  const [ours, redis] = [await aofOf('ours'), await aofOf('redis')];
  assert.deepEqual(ours, redis, `ours, then redis-server ${REDIS_SERVER_VERSION}`);
});

// The order the lab stops its nodes in when it closes: masters, then their replicas, then theirs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeLiveInfo } from '../../../src-main/api/index.js';
import type { LabNode } from '../../../src-main/host/nodes/lab-node.js';
import { shutdownOrder } from '../../../src-main/host/nodes/shutdown-order.js';

/** Just what shutdownOrder reads of a node: its id, port, stored link and INFO. */
function node(id: string, port: number, options: { masterPort?: number; storedMaster?: string } = {}): LabNode {
  const info =
    options.masterPort === undefined && options.storedMaster !== undefined
      ? null
      : ({
          role: options.masterPort === undefined ? 'master' : 'slave',
          masterHost: '127.0.0.1',
          masterPort: options.masterPort,
        } as NodeLiveInfo);
  return { stored: { id, name: `node-${id}`, port, replicaOf: options.storedMaster ?? null }, info } as unknown as LabNode;
}
const names = (steps: LabNode[][]): string[][] => steps.map((step) => step.map((n) => n.stored.name));

test('a chain stops from the top: master, its replica, that replica’s replica', () => {
  const a = node('1', 7001);
  const b = node('2', 7002, { masterPort: 7001 });
  const c = node('3', 7003, { masterPort: 7002 });
  const d = node('4', 7004, { masterPort: 7001 });
  assert.deepEqual(names(shutdownOrder([c, b, d, a])), [['node-1'], ['node-2', 'node-4'], ['node-3']]);
});

test('INFO wins over the stored link; a node without INFO yet goes by its stored link', () => {
  const a = node('1', 7001);
  const b = node('2', 7002);
  const c = node('3', 7003, { masterPort: 7002 }); // a REPLICAOF typed into redis-cli
  const d = node('4', 7004, { storedMaster: '1' }); // still starting, no INFO yet
  assert.deepEqual(names(shutdownOrder([a, b, c, d])), [
    ['node-1', 'node-2'],
    ['node-3', 'node-4'],
  ]);
});

test('a master outside the lab, or a loop during a switch, does not hold anyone back forever', () => {
  const outside = node('1', 7001, { masterPort: 9999 });
  const x = node('2', 7002, { masterPort: 7003 });
  const y = node('3', 7003, { masterPort: 7002 });
  const steps = shutdownOrder([outside, x, y]);
  assert.equal(steps.flat().length, 3);
  assert.deepEqual(steps[0]!.map((n) => n.stored.name).sort(), ['node-1', 'node-3']);
});

// The list type's ring buffer (keyspace/types/list.ts) against a plain array doing the same
// operations: wrap-around, growth, shrinking after a drain, inserts and removals in the middle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListValue } from '../../../src-main/engine/keyspace/types/list.js';
import { seededRandom } from '../../support/command-families.js';

test('a random mix of operations keeps the list equal to an array model', () => {
  for (const seed of [1, 2, 3, 4]) {
    const rnd = seededRandom(seed);
    const list = new ListValue();
    let model: string[] = [];
    for (let step = 0; step < 20000; step++) {
      const value = String(rnd.int(6));
      // Phases of growth and drain, so capacities go up and back down.
      const growing = Math.floor(step / 2500) % 2 === 0;
      const index = rnd.int(model.length + 2) - 1;
      switch (rnd.int(10)) {
        case 0:
        case 1:
          list.pushHead(value);
          model.unshift(value);
          break;
        case 2:
        case 3:
          if (growing) {
            list.pushTail(value);
            model.push(value);
          } else {
            assert.equal(list.popTail(), model.pop());
          }
          break;
        case 4:
        case 5:
          assert.equal(list.popHead(), model.shift());
          break;
        case 6: {
          const at = Math.max(0, Math.min(index, model.length));
          list.insert(at, value);
          model.splice(at, 0, value);
          break;
        }
        case 7:
          assert.equal(list.at(index), index >= 0 ? model[index] : undefined);
          assert.equal(list.set(index, value), index >= 0 && index < model.length);
          if (index >= 0 && index < model.length) model[index] = value;
          break;
        case 8: {
          const limit = rnd.int(3);
          const fromTail = rnd.int(2) === 1;
          const removed = list.removeMatching(value, limit, fromTail);
          model = removeMatching(model, value, limit, fromTail);
          assert.equal(list.size, model.length);
          assert.ok(removed >= 0);
          break;
        }
        default: {
          const head = rnd.int(3);
          const tail = rnd.int(3);
          list.trim(head, tail);
          model = model.slice(Math.min(head, model.length));
          model = model.slice(0, Math.max(0, model.length - tail));
        }
      }
      assert.equal(list.size, model.length, `seed ${seed} step ${step}: size`);
      if (step % 97 === 0) assert.deepEqual([...list.items()], model, `seed ${seed} step ${step}: contents`);
    }
    assert.deepEqual([...list.items()], model);
    assert.equal(list.indexOf('3'), model.indexOf('3'));
  }
});

test('from, clone and items: a copy that does not share changes', () => {
  const list = ListValue.from(['a', 'b', 'c']);
  const copy = list.clone();
  list.popHead();
  copy.pushTail('d');
  assert.deepEqual([...list.items()], ['b', 'c']);
  assert.deepEqual([...copy.items()], ['a', 'b', 'c', 'd']);
  assert.equal(list.encoding(), 'quicklist');
  assert.equal(list.type, 'list');
});

test('a big list drained to a few elements keeps them in order', () => {
  const list = new ListValue();
  for (let i = 0; i < 10000; i++) list.pushTail(String(i));
  for (let i = 0; i < 9990; i++) list.popHead();
  assert.deepEqual([...list.items()], ['9990', '9991', '9992', '9993', '9994', '9995', '9996', '9997', '9998', '9999']);
  list.trim(2, 3);
  assert.deepEqual([...list.items()], ['9992', '9993', '9994', '9995', '9996']);
});

/** LREM on an array: up to `limit` (0 = all) elements equal to `value`, scanning from one end. */
function removeMatching(items: string[], value: string, limit: number, fromTail: boolean): string[] {
  const order = fromTail ? [...items].reverse() : [...items];
  let removed = 0;
  const kept = order.filter((item) => {
    if (item === value && (limit === 0 || removed < limit)) {
      removed++;
      return false;
    }
    return true;
  });
  return fromTail ? kept.reverse() : kept;
}

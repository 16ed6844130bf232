// compileGlob (util/glob.ts) answers exactly as the general matcher, which the KEYS and pub/sub
// differential tests hold to Redis's stringmatchlen: every pattern of up to four characters from
// an alphabet of letters and glob syntax, against every text of up to three characters, given in
// two parts at every split (a keyspace channel arrives as its prefix and the key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, globMatch } from '../../../src-main/engine/util/glob.js';

function* strings(alphabet: string, maxLength: number): Generator<string> {
  yield '';
  let level = [''];
  for (let n = 1; n <= maxLength; n++) {
    const next: string[] = [];
    for (const s of level) for (const c of alphabet) next.push(s + c);
    yield* next;
    level = next;
  }
}

test('a compiled pattern matches what the general matcher matches, for every small pattern, text and split', () => {
  const texts = [...strings('ab*\\', 3)];
  let compared = 0;
  for (const pattern of strings('ab*?[]\\^-', 4)) {
    const matches = compileGlob(pattern);
    for (const text of texts) {
      const expected = globMatch(pattern, text);
      for (let split = 0; split <= text.length; split++) {
        const head = text.slice(0, split);
        const tail = text.slice(split);
        assert.equal(
          matches(head, tail),
          expected,
          `pattern ${JSON.stringify(pattern)}, text ${JSON.stringify(head)} + ${JSON.stringify(tail)}`,
        );
        compared++;
      }
    }
  }
  assert.ok(compared > 300_000, `compared ${compared}`);
});

test('the shapes with a fast path: literal text, and a prefix followed by stars', () => {
  const keyspace = compileGlob('__keyspace@0__:lag:*');
  assert.equal(keyspace('__keyspace@0__:', 'lag:1'), true);
  assert.equal(keyspace('__keyspace@0__:', 'lag:'), true, 'a star matches nothing at the end');
  assert.equal(keyspace('__keyspace@0__:', 'la'), false);
  assert.equal(keyspace('__keyspace@1__:', 'lag:1'), false, 'another head after the first');
  assert.equal(keyspace('__keyspace@0__:', 'lag:2'), true, 'and the first again');
  assert.equal(keyspace('', '__keyspace@0__:lag:3'), true);
  assert.equal(compileGlob('__keyspace@0__:*')('__keyevent@0__:', 'set'), false);
  assert.equal(compileGlob('user:1')('', 'user:1'), true);
  assert.equal(compileGlob('user:1')('user:', '1'), true);
  assert.equal(compileGlob('user:1')('', 'user:10'), false);
  assert.equal(compileGlob('')('', ''), true, 'an empty pattern matches the empty text (stringmatchlen)');
  assert.equal(compileGlob('**')('', ''), false, 'a star finds nothing to match in an empty text (stringmatchlen)');
  assert.equal(compileGlob('*')('', '\x00\xff'), true, 'binary text');
});

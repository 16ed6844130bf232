// The multi-part AOF manifest (format, quoting, Redis's errors) and the RESP command reader's
// distinction between a truncated tail (loadable with aof-load-truncated) and corruption.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AofManifestError, formatAofManifest, parseAofManifest } from '../../../src-main/engine/persistence/aof/aof-manifest.js';
import { splitArgs } from '../../../src-main/engine/protocol/sds-quoting.js';
import { AofCommandReader, formatAofCommand, startsWithRdbPreamble } from '../../../src-main/engine/persistence/aof/aof-commands.js';

test('manifest: Redis 7.0 layout parses and formats back identically', () => {
  const text =
    'file appendonly.aof.2.base.rdb seq 2 type b\n' +
    'file appendonly.aof.1.incr.aof seq 1 type h\n' +
    'file appendonly.aof.3.incr.aof seq 3 type i\n' +
    'file appendonly.aof.4.incr.aof seq 4 type i\n';
  const m = parseAofManifest(text);
  assert.deepEqual(m.base, { fileName: 'appendonly.aof.2.base.rdb', seq: 2, type: 'b' });
  assert.equal(m.history.length, 1);
  assert.deepEqual(
    m.incr.map((f) => f.seq),
    [3, 4],
  );
  assert.equal(formatAofManifest(m), text);
});

test('manifest: names with spaces, quotes or control bytes are quoted like sdscatrepr and read back', () => {
  const name = 'my aof "x"\n\x01.aof';
  const text = formatAofManifest({ base: null, history: [], incr: [{ fileName: name, seq: 1, type: 'i' }] });
  assert.equal(text, 'file "my aof \\"x\\"\\n\\x01.aof" seq 1 type i\n');
  assert.equal(parseAofManifest(text).incr[0]!.fileName, name);
  assert.deepEqual(splitArgs(`a 'b c' "d\\te"`), ['a', 'b c', 'd\te']);
  assert.equal(splitArgs('"unterminated'), null);
  assert.equal(splitArgs('"closed"x'), null);
});

test("manifest: Redis's error for each kind of bad content", () => {
  const cases: Array<[string, string]> = [
    ['', 'Found an empty AOF manifest'],
    ['file a seq 1 type i', 'The AOF manifest file contains too long line'],
    [`file ${'x'.repeat(1100)} seq 1 type i\n`, 'The AOF manifest file contains too long line'],
    ['\n', 'Invalid AOF manifest file format'],
    ['file a seq 1\n', 'Invalid AOF manifest file format'],
    ['file a seq 0 type i\n', 'Invalid AOF manifest file format'],
    ['file dir/a seq 1 type i\n', "File can't be a path, just a filename"],
    ['file a seq 1 type b\nfile b seq 2 type b\n', 'Found duplicate base file information'],
    ['file a seq 2 type i\nfile b seq 2 type i\n', 'Found a non-monotonic sequence number'],
    ['file a seq 1 type x\n', 'Unknown AOF file type'],
  ];
  for (const [text, reason] of cases) {
    assert.throws(
      () => parseAofManifest(text),
      (err: AofManifestError) => err.reason === reason,
      reason,
    );
  }
  assert.equal(parseAofManifest('# comment\nfile a seq 1 type i\n').incr.length, 1);
});

function readAll(data: Buffer, chunk = data.length) {
  const commands: string[] = [];
  const reader = new AofCommandReader((argv) => commands.push(argv.map(String).join(' ')));
  for (let i = 0; i < data.length; i += chunk) reader.push(data.subarray(i, i + chunk));
  return { commands, result: reader.end() };
}

const set = formatAofCommand(['SET', 'k', 'v']);
const multi = formatAofCommand(['MULTI']);
const incr = formatAofCommand(['INCR', 'n']);
const exec = formatAofCommand(['EXEC']);

test('commands: complete files, in any chunking, with annotations', () => {
  const file = Buffer.concat([Buffer.from('#TS:1700000000\r\n'), set, multi, incr, exec]);
  for (const chunk of [1, 3, 1000]) {
    const { commands, result } = readAll(file, chunk);
    assert.deepEqual(commands, ['SET k v', 'MULTI', 'INCR n', 'EXEC']);
    assert.deepEqual(result, { status: 'complete', commands: 4 });
  }
});

test('commands: a cut-off last command is a truncation at the end of the last complete one', () => {
  const file = Buffer.concat([set, incr.subarray(0, incr.length - 3)]);
  const { commands, result } = readAll(file);
  assert.deepEqual(commands, ['SET k v']);
  assert.deepEqual(result, { status: 'truncated', commands: 1, validUpTo: set.length, revertedMulti: false });
});

test('commands: an unfinished MULTI is reverted to before the MULTI', () => {
  const { result } = readAll(Buffer.concat([set, multi, incr]));
  assert.deepEqual(result, { status: 'truncated', commands: 3, validUpTo: set.length, revertedMulti: true });
});

test('commands: garbage is a format error with its offset', () => {
  const file = Buffer.concat([set, Buffer.from('garbage\r\n'), set]);
  assert.throws(
    () => readAll(file),
    (err: Error & { offset?: number }) => {
      assert.match(err.message, /^Bad file format reading the append only file at offset \d+: expected '\*', got 'g'/);
      assert.equal(err.offset, set.length);
      return true;
    },
  );
  assert.throws(() => readAll(Buffer.concat([set, Buffer.from('*1\r\nX3\r\n')])), /expected '\$', got 'X'/);
});

test('an RDB preamble is recognised by its REDIS signature', () => {
  assert.ok(startsWithRdbPreamble(Buffer.from('REDIS0010\xfa')));
  assert.ok(!startsWithRdbPreamble(set));
  assert.ok(!startsWithRdbPreamble(Buffer.from('RED')));
});

// enable-debug-command (no, yes, local): who may run DEBUG, against Debian's redis-server 7.0.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startPair, type Pair } from '../../support/differential.js';

describe('enable-debug-command', () => {
  let pair: Pair;
  before(async () => {
    // The default ("no"), with a password so that the order of the checks shows.
    pair = await startPair(['--requirepass', 'secret']);
  });
  after(async () => {
    await pair.close();
  });

  test('DEBUG is refused by default, before authentication and inside MULTI', async () => {
    await pair.same(['DEBUG']);
    await pair.same(['DEBUG', 'HELP']);
    await pair.same(['AUTH', 'secret']);
    await pair.same(['DEBUG', 'DIGEST']);
    await pair.same(['DEBUG', 'no-such-subcommand']);
    await pair.same(['CONFIG', 'SET', 'enable-debug-command', 'yes']);
    await pair.same(['MULTI']);
    await pair.same(['DEBUG', 'DIGEST']);
    await pair.same(['EXEC']);
  });
});

describe('enable-debug-command local', () => {
  let pair: Pair;
  before(async () => {
    // Protected mode would refuse 127.0.0.2 before DEBUG is even tried (Redis 7.0 counts only
    // 127.0.0.1 and ::1 as local, for both rules).
    pair = await startPair(['--enable-debug-command', 'local', '--bind', '127.0.0.1 127.0.0.2', '--protected-mode', 'no']);
  });
  after(async () => {
    await pair.close();
  });

  test('allows DEBUG from 127.0.0.1 only', async () => {
    await pair.same(['DEBUG', 'DIGEST']);
    const fromElsewhere = await Promise.all(pair.servers.map((server) => rawReply(server.port, '127.0.0.2', 'DEBUG DIGEST\r\n')));
    assert.equal(fromElsewhere[0], fromElsewhere[1]);
    assert.match(fromElsewhere[0]!, /^-ERR DEBUG command not allowed/);
  });
});

/** The first reply line to `request` over a connection made from (and to) `address`. */
function rawReply(port: number, address: string, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: address, localAddress: address }, () => socket.write(request));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', reject);
  });
}

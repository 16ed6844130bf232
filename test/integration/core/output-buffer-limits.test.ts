// Output buffer limits (client-output-buffer-limit): a subscriber that stops reading is
// disconnected once its pending output passes the pubsub hard limit, with Redis's log line, and
// the node keeps serving everyone else. Checked on our node and on Debian's redis-server alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startServer } from '../../support/servers.js';
import { RespClient, encodeCommand } from '../../support/resp-client.js';

for (const kind of ['ours', 'redis'] as const) {
  test(`${kind}: a subscriber that does not read is dropped at the pubsub hard limit`, async () => {
    const server = await startServer(kind, ['--client-output-buffer-limit', 'pubsub 1mb 256kb 60', '--loglevel', 'notice']);
    try {
      // A raw socket that subscribes and then never reads again.
      const stalled = connect({ port: server.port, host: '127.0.0.1' });
      await new Promise<void>((r) => stalled.once('connect', () => r()));
      // The subscription is in place once its confirmation arrives; from then on nothing is read.
      const confirmed = new Promise<void>((r) => stalled.once('data', () => r()));
      stalled.write(encodeCommand(['SUBSCRIBE', 'firehose']));
      await confirmed;
      stalled.pause();
      const publisher = await RespClient.open(server.port);
      const message = 'x'.repeat(64 * 1024);
      let receivers = 1;
      for (let i = 0; i < 2000 && receivers > 0; i++) receivers = Number(await publisher.call('PUBLISH', 'firehose', message));
      assert.equal(receivers, 0, 'the stalled subscriber was never dropped');
      assert.deepEqual(await publisher.call('PUBSUB', 'NUMSUB', 'firehose'), [Buffer.from('firehose'), 0]);
      assert.equal(await publisher.call('PING'), 'PONG');
      assert.match(
        server.output(),
        /Client id=\d+ addr=127\.0\.0\.1:\d+ .* scheduled to be closed ASAP for overcoming of output buffer limits\./,
      );
      publisher.close();
      stalled.destroy();
    } finally {
      await server.stop();
    }
  });
}

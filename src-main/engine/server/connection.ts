// Wires a TCP socket to a Client: bytes in -> RequestParser -> executor -> ReplyWriter -> one
// socket write per read event (Redis's readQueryFromClient + processInputBuffer + the write in
// beforeSleep).
import type { Socket } from 'node:net';
import { ProtocolError, RequestParser } from '../protocol/request-parser.js';
import { Client } from './client.js';
import { executeCommand } from './executor.js';
import type { Server } from './server.js';

export function attachConnection(server: Server, socket: Socket): Client {
  const client = new Client(server, socket);
  const parser = new RequestParser({
    maxBulkLength: server.config.int('proto-max-bulk-len'),
    authenticated: () => client.authenticated,
  });
  server.clients.set(client.id, client);
  socket.setNoDelay(true);
  socket.setKeepAlive(server.config.int('tcp-keepalive') > 0, server.config.int('tcp-keepalive') * 1000);

  socket.on('data', (chunk: Buffer) => {
    server.stats.netInputBytes += chunk.length;
    if (client.closeAfterReply) return; // Redis stops reading from a client it is closing
    client.lastInteraction = Date.now();
    parser.feed(chunk);
    try {
      let now = performance.now();
      for (;;) {
        const argv = parser.next();
        if (argv === null) break;
        if (argv.length === 0) continue;
        now = executeCommand(client, argv, now);
        if (client.closeAfterReply) break;
      }
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      // networking.c setProtocolError: reply, log at verbose, close after the reply.
      client.reply.error(`ERR ${err.message}`);
      server.logger.verbose(`Protocol error (${err.message}) from client: id=${client.id} addr=${client.address}`);
      client.closeAfterReply = true;
    }
    if (parser.bufferedBytes > server.config.int('client-query-buffer-limit')) {
      server.logger.warning(`Closing client that reached max query buffer length: id=${client.id} addr=${client.address}`);
      client.close();
      return;
    }
    client.flush();
  });

  socket.on('error', () => {
    // ECONNRESET and the like: the 'close' event follows and cleans up.
  });
  socket.on('close', () => {
    server.clients.delete(client.id);
  });
  return client;
}

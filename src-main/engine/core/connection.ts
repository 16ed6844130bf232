// Wires a TCP socket to a Client: bytes in -> RequestParser -> executor -> ReplyWriter -> one
// socket write per event-loop turn (Redis's readQueryFromClient + processInputBuffer + the write in
// beforeSleep; see output-scheduler.ts).
import type { Socket } from 'node:net';
import { ProtocolError, RequestParser, type BinaryString } from '../protocol/request-parser.js';
import { Client } from './client.js';
import { executeCommand } from './executor.js';
import { isBlocked, resumeWhenUnblocked } from './blocking.js';
import type { Server } from './server.js';
import { readIntoSharedBuffer } from './shared-read-buffer.js';

export function attachConnection(server: Server, socket: Socket): Client {
  const client = new Client(server, socket);
  const parser = new RequestParser({
    maxBulkLength: server.config.int('proto-max-bulk-len'),
    authenticated: () => client.authenticated,
  });
  server.clients.set(client.id, client);
  socket.setNoDelay(true);
  socket.setKeepAlive(server.config.int('tcp-keepalive') > 0, server.config.int('tcp-keepalive') * 1000);

  // A request held back by CLIENT PAUSE; the socket stops reading until the pause ends.
  let postponed: BinaryString[] | null = null;

  const processInput = (): void => {
    try {
      let now = performance.now();
      for (;;) {
        if (client.deferredCall !== null) {
          // Its script yields (Redis's protectClient): what the client sends meanwhile runs after
          // the script's reply.
          client.deferredCall.resume = processInput;
          break;
        }
        if (isBlocked(client)) {
          // BLPOP & co: what the client sends meanwhile runs once the wait is over.
          resumeWhenUnblocked(client, processInput);
          break;
        }
        const argv = postponed ?? parser.next();
        postponed = null;
        if (argv === null) break;
        if (argv.length === 0) continue;
        if (server.pause.active && server.pause.holds(client, server.commands.lookup(argv))) {
          postponed = argv;
          socket.pause();
          server.pause.postpone(client, () => {
            socket.resume();
            processInput();
          });
          break;
        }
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
    client.scheduleFlush();
  };

  const onChunk = (chunk: Buffer): void => {
    server.stats.netInputBytes += chunk.length;
    server.stats.readsProcessed++;
    if (client.closeAfterReply) return; // Redis stops reading from a client it is closing
    client.lastInteraction = Date.now();
    parser.feed(chunk);
    if (postponed === null) processInput();
    parser.releaseChunk();
  };
  if (!readIntoSharedBuffer(socket, onChunk)) socket.on('data', onChunk);

  socket.on('error', () => {
    // ECONNRESET and the like: the 'close' event follows and cleans up.
  });
  socket.on('close', () => {
    server.forgetClient(client);
  });
  return client;
}

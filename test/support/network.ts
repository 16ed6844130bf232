// This machine's network, as the tests of who may connect see it: an address of its own that is
// not loopback (a client from there is "from the network" for protected mode), and a PING sent
// from a given address.
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';

/** A local IPv4 address that is not loopback (the machine's own interface), or undefined. */
export const OTHER_ADDRESS = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

/** Connects to `host:port` and sends PING: what comes back before the server closes (or 2 s), or the error code. */
export function pingFrom(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = '';
    socket.on('data', (d) => (received += d));
    // A refused client is sent DENIED and closed at once: PING only a connection still open, so
    // that the close does not become a reset that loses the text.
    let ended = false;
    socket.once('end', () => (ended = true));
    socket.once('connect', () => setTimeout(() => ended || socket.write('PING\r\n'), 100));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(received || (error.code ?? 'error')));
    socket.once('close', () => resolve(received));
    setTimeout(() => socket.destroy(), 2000);
  });
}

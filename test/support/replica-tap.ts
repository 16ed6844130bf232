// What a master sends its replicas and writes to its AOF, captured as raw bytes: a "tap" is a
// plain socket that introduces itself as a replica (REPLCONF listening-port, PSYNC ? -1), skips
// the full sync's RDB payload and keeps every byte of the command stream that follows. Written
// independently of the engine's replication code, so a test does not share the code it checks.
import { connect, type Socket } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One command of a stream: its arguments, and the exact RESP bytes it arrived as. */
export interface StreamCommand {
  argv: string[];
  raw: Buffer;
}

/**
 * RESP multibulk commands, as a replication stream or an AOF holds them. AOF annotations (lines
 * starting with '#', such as `#TS:<unix time>` when aof-timestamp-enabled is on) are skipped. A
 * command cut off at the end of `data` is left out.
 */
export function parseStreamCommands(data: Buffer): StreamCommand[] {
  const commands: StreamCommand[] = [];
  let pos = 0;
  for (;;) {
    const start = pos;
    const line = (): string | null => {
      const end = data.indexOf('\r\n', pos);
      if (end < 0) return null;
      const text = data.toString('latin1', pos, end);
      pos = end + 2;
      return text;
    };
    const header = line();
    if (header === null) return commands;
    if (header.startsWith('#')) continue;
    if (!header.startsWith('*')) throw new Error(`not a multibulk at byte ${start}: ${JSON.stringify(header.slice(0, 40))}`);
    const argv: string[] = [];
    for (let i = 0, count = Number(header.slice(1)); i < count; i++) {
      const lengthLine = line();
      if (lengthLine === null) return commands;
      const length = Number(lengthLine.slice(1));
      if (pos + length + 2 > data.length) return commands;
      argv.push(data.toString('latin1', pos, pos + length));
      pos += length + 2;
    }
    commands.push({ argv, raw: data.subarray(start, pos) });
  }
}

/** The commands of every INCR file of a 7.0 multi-part AOF directory, in sequence order. */
export function readAofIncrementCommands(dir: string): StreamCommand[] {
  const sequence = (name: string) => Number(/\.(\d+)\.incr\.aof$/.exec(name)![1]);
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.incr.aof'))
    .sort((x, y) => sequence(x) - sequence(y));
  return files.flatMap((name) => parseStreamCommands(readFileSync(join(dir, name))));
}

/** A raw replica connection: everything the master streamed after the full sync. */
export class ReplicaTap {
  private received: Buffer[] = [];
  /** Bytes before the stream (the +FULLRESYNC line, keepalive newlines, the RDB payload). */
  private handshake = Buffer.alloc(0);
  private streaming = false;

  private constructor(private readonly socket: Socket) {}

  /** Attaches to the master on `port` and resolves once the RDB payload has been skipped. */
  static attach(port: number, listeningPort = 1): Promise<ReplicaTap> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const tap = new ReplicaTap(socket);
      socket.once('error', reject);
      let psyncSent = false;
      socket.on('data', (chunk: Buffer) => {
        if (tap.streaming) {
          tap.received.push(chunk);
          return;
        }
        tap.handshake = Buffer.concat([tap.handshake, chunk]);
        // PSYNC goes only after REPLCONF's +OK: a master refuses it while a reply is pending.
        if (!psyncSent && tap.handshake.includes('\r\n')) {
          psyncSent = true;
          socket.write('*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n');
        }
        try {
          const rest = tap.afterPayload();
          if (!rest) return;
          tap.streaming = true;
          tap.received.push(rest);
          resolve(tap);
        } catch (error) {
          socket.destroy();
          reject(error as Error);
        }
      });
      // Without `REPLCONF capa eof` the master sends a sized payload from a file on disk.
      socket.write(`*3\r\n$8\r\nREPLCONF\r\n$14\r\nlistening-port\r\n$${String(listeningPort).length}\r\n${listeningPort}\r\n`);
    });
  }

  /** Once the whole payload arrived, the bytes after it (maybe none); null while it is still coming. */
  private afterPayload(): Buffer | null {
    const data = this.handshake;
    let pos = 0;
    const line = (): string | null => {
      const end = data.indexOf('\r\n', pos);
      if (end < 0) return null;
      const text = data.toString('latin1', pos, end);
      pos = end + 2;
      return text;
    };
    const replconf = line();
    if (replconf === null) return null;
    if (replconf !== '+OK') throw new Error(`REPLCONF answered ${replconf}`);
    while (data[pos] === 0x0a) pos++; // keepalives while the master prepares
    const fullResync = line();
    if (fullResync === null) return null;
    if (!fullResync.startsWith('+FULLRESYNC')) throw new Error(`PSYNC answered ${fullResync}`);
    while (data[pos] === 0x0a) pos++;
    const bulk = line();
    if (bulk === null) return null;
    if (bulk.startsWith('$EOF:')) {
      const mark = Buffer.from(bulk.slice(5), 'latin1');
      const end = data.indexOf(mark, pos);
      return end < 0 ? null : data.subarray(end + mark.length);
    }
    const length = Number(bulk.slice(1));
    return data.length < pos + length ? null : data.subarray(pos + length);
  }

  /** Every byte of the command stream so far. */
  bytes(): Buffer {
    return Buffer.concat(this.received);
  }

  /** The complete commands of the stream so far. */
  commands(): StreamCommand[] {
    return parseStreamCommands(this.bytes());
  }

  close(): void {
    this.socket.destroy();
  }
}

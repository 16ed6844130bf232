// One console on one node: a TCP connection of its own to the node's port, as redis-cli's, so the
// node sees an ordinary client (AUTH, ACLs, CLIENT LIST, MONITOR all apply to it) rather than the
// host's internal INFO channel. A typed line is split as redis-cli splits it, sent, and its reply
// printed as redis-cli prints it in a terminal.
//
// Three states, as in redis-cli's loop:
//   idle       ready for the next line;
//   waiting    a command was sent and its reply has not come (BLPOP 0 waits for ever): cancel()
//              closes the connection, and the next line opens a fresh one, as redis-cli does on Ctrl-C;
//   streaming  SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE or MONITOR: every reply from now on is printed as
//              it comes (pushed to the renderer), until cancel() (the Stop button) closes the connection.
// Like redis-cli's cliConnect, a fresh connection repeats the AUTH that last succeeded and the SELECT
// in force, so cancelling a command does not log the user out or change the database.
// A node with a requirepass set from the lab's settings is opened as `redis-cli -a <password>` would
// open it, so the console works on it at once; an AUTH typed in the console takes precedence.
import { connect, type Socket } from 'node:net';
import type { ConsoleReplyLines } from '../../api/index.js';
import { encodeCommand, INVALID_ARGUMENTS, splitCommandLine } from './command-line.js';
import { formatReplyTTY } from './reply-format.js';
import { RespProtocolError, RespReader, type ConsoleReply } from './resp-reader.js';

/** Commands after which redis-cli keeps printing replies until Ctrl-C (cliSendCommand's pubsub_mode and monitor_mode). */
const STREAMING_COMMANDS = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'monitor']);
/** What redis-cli prints before the messages of a subscription (not for MONITOR). */
const READING_MESSAGES = 'Reading messages... (press Ctrl-C to quit)';

type State = 'idle' | 'waiting' | 'streaming';

/** Splits redis-cli's printed text (which ends with a newline) into lines. */
function linesOf(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

export class ConsoleSession {
  private socket: Socket | null = null;
  private reader = new RespReader();
  private state: State = 'idle';
  /** Resolves the reply the session waits for; null when none is awaited. */
  private awaiting: ((reply: ConsoleReply | Error) => void) | null = null;
  /** The arguments of the last AUTH that succeeded, repeated on a fresh connection. */
  private authArgs: Buffer[] | null = null;
  private db = 0;
  /** The last attempt to connect failed: redis-cli's prompt says `not connected>` until one succeeds. */
  private notConnected = false;

  constructor(
    private readonly port: () => number,
    /** Lines printed while streaming, and the end of a stream. */
    private readonly onStream: (lines: string[], ended: boolean) => void,
    /**
     * Where the node is and the AUTH the lab's connections send (nodes/node-address.ts): an
     * external node's host and credentials, or the requirepass set from the lab's settings. Read at
     * each connection, so a password changed since is the one used.
     */
    private readonly target: () => { host: string; auth: string[] | null } = () => ({ host: '127.0.0.1', auth: null }),
  ) {}

  get busy(): State {
    return this.state;
  }

  /** Runs one typed line; resolves with what redis-cli would print for it. */
  async run(line: string): Promise<ConsoleReplyLines> {
    if (this.state !== 'idle') {
      throw new Error(this.state === 'waiting' ? 'a command is still running: cancel it first' : 'the console is streaming: stop it first');
    }
    const args = splitCommandLine(line);
    if (args === null) return this.result([INVALID_ARGUMENTS]);
    if (args.length === 0) return this.result([]);
    const name = args[0]!.toString('latin1').toLowerCase();
    if (name === 'quit' || name === 'exit') {
      // redis-cli exits; the console just drops its connection (the next line opens another).
      this.disconnect();
      return this.result([]);
    }
    // Busy from here, so that a second line sent meanwhile is refused rather than interleaved.
    this.state = 'waiting';
    const failure = await this.ensureConnected();
    if (failure) {
      this.state = 'idle';
      return this.result([failure]);
    }
    if (!this.socket) return this.result([]); // cancelled while connecting

    if (STREAMING_COMMANDS.has(name)) {
      this.state = 'streaming';
      this.socket!.write(encodeCommand(args));
      return this.result(name === 'monitor' ? [] : [READING_MESSAGES]);
    }
    this.state = 'waiting';
    const reply = await this.send(args);
    if (this.state === 'waiting') this.state = 'idle';
    if (reply instanceof Error) return this.result(reply.message === '' ? [] : linesOf(reply.message));
    if (reply.type !== 'error') {
      if (name === 'select' && args.length === 2) this.db = Number(args[1]!.toString('latin1')) || 0;
      if (name === 'auth' && (args.length === 2 || args.length === 3)) this.authArgs = args;
    }
    return this.result(linesOf(formatReplyTTY(reply)));
  }

  /**
   * Cancels a command still waiting for its reply, or ends a stream: the connection is closed, as
   * redis-cli's is when Ctrl-C ends it, and the next line opens a fresh one. Returns whether there
   * was anything to cancel.
   */
  cancel(): boolean {
    if (this.state === 'idle') return false;
    this.disconnect();
    return true;
  }

  close(): void {
    this.disconnect();
  }

  private result(lines: string[]): ConsoleReplyLines {
    return { lines, streaming: this.state === 'streaming', prompt: this.prompt() };
  }

  /** redis-cli's prompt: `127.0.0.1:6379>`, with `[n]` for a database other than 0, or `not connected>`. */
  prompt(): string {
    if (this.notConnected) return 'not connected>';
    return `${this.target().host}:${this.port()}${this.db === 0 ? '' : `[${this.db}]`}>`;
  }

  /** Sends one command and waits for its reply; an Error carries what redis-cli prints when the connection fails. */
  private send(args: Buffer[]): Promise<ConsoleReply | Error> {
    return new Promise((resolve) => {
      this.awaiting = resolve;
      this.socket!.write(encodeCommand(args));
    });
  }

  /** Connects (with AUTH and SELECT as before) unless connected; returns redis-cli's message if it cannot. */
  private async ensureConnected(): Promise<string | null> {
    if (this.socket) return null;
    const port = this.port();
    const socket = connect({ host: this.target().host, port });
    const connected = await new Promise<Error | null>((resolve) => {
      socket.once('connect', () => resolve(null));
      socket.once('error', resolve);
    });
    this.notConnected = connected !== null;
    if (connected) {
      socket.destroy();
      return `Could not connect to Redis at ${this.target().host}:${port}: ${systemMessage(connected)}`;
    }
    this.attach(socket);
    // cliConnect: AUTH, then SELECT; their replies are not printed (a failed AUTH shows on the next command).
    const auth = this.authArgs ?? this.target().auth?.map((arg) => Buffer.from(arg)) ?? null;
    if (auth) await this.send(auth);
    if (this.db !== 0 && this.socket) await this.send([Buffer.from('SELECT'), Buffer.from(String(this.db))]);
    return this.socket ? null : `Could not connect to Redis at ${this.target().host}:${port}: Connection reset by peer`;
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    this.reader = new RespReader();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      this.reader.feed(chunk);
      let replies: ConsoleReply[];
      try {
        replies = this.reader.takeReplies();
      } catch (error) {
        this.disconnect(error instanceof RespProtocolError ? `Error: ${error.message}` : String(error));
        return;
      }
      for (const reply of replies) this.deliver(reply);
    });
    socket.on('error', (error) => {
      if (this.socket === socket) this.disconnect(`Error: ${systemMessage(error)}`);
    });
    socket.on('close', () => {
      if (this.socket === socket) this.disconnect('Error: Server closed the connection');
    });
  }

  private deliver(reply: ConsoleReply): void {
    if (this.state === 'streaming') {
      this.onStream(linesOf(formatReplyTTY(reply)), false);
      return;
    }
    const awaiting = this.awaiting;
    this.awaiting = null;
    awaiting?.(reply);
  }

  /**
   * Drops the connection; the next line opens a fresh one. When it failed or the node closed it,
   * `reason` is what redis-cli prints then. A command waiting for its reply gets `reason` as its output, and a stream
   * ends with it; a cancel has no reason, and prints nothing more (redis-cli's Ctrl-C leaves just
   * the prompt).
   */
  private disconnect(reason: string | null = null): void {
    const socket = this.socket;
    const wasStreaming = this.state === 'streaming';
    const awaiting = this.awaiting;
    this.socket = null;
    this.awaiting = null;
    this.state = 'idle';
    socket?.destroy();
    if (wasStreaming) this.onStream(reason ? [reason] : [], true);
    awaiting?.(new Error(reason ?? ''));
  }
}

/** The C library's words for a socket error, as hiredis reports them (strerror). */
function systemMessage(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'Connection refused';
  if (code === 'ECONNRESET') return 'Connection reset by peer';
  if (code === 'EPIPE') return 'Broken pipe';
  return error.message;
}

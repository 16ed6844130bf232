// MONITOR (Redis's replicationFeedMonitors): every command a node executes, except the admin ones
// and those flagged skip_monitor, is shown to each monitoring client as one status line:
//   +1700000000.123456 [0 127.0.0.1:5555] "set" "k" "v"
import type { BinaryString } from '../protocol/request-parser.js';
import type { Command } from './command-table.js';
import type { Client } from './client.js';

export class Monitors {
  private readonly clients = new Set<Client>();

  get size(): number {
    return this.clients.size;
  }

  add(client: Client): void {
    client.isMonitor = true;
    this.clients.add(client);
  }

  remove(client: Client): void {
    client.isMonitor = false;
    this.clients.delete(client);
  }

  feed(client: Client, command: Command, argv: BinaryString[]): void {
    const flags = (command.parent ?? command).flags;
    if (flags.includes('admin') || command.flags.includes('admin') || flags.includes('skip_monitor')) return;
    const nowUs = Math.round((performance.timeOrigin + performance.now()) * 1000);
    const time = `${Math.floor(nowUs / 1e6)}.${String(nowUs % 1e6).padStart(6, '0')}`;
    const source = client.socket ? client.address : 'lua';
    let line = `${time} [${client.db.id} ${source}]`;
    for (const arg of argv) line += ' ' + quoteRepr(arg);
    for (const monitor of this.clients) {
      monitor.reply.simple(line);
      monitor.scheduleFlush();
      monitor.server.limits.checkOutputBuffer(monitor);
    }
  }
}

/** sds.c sdscatrepr: a double-quoted string with C escapes, non-printable bytes as \xHH. */
export function quoteRepr(s: BinaryString): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x5c: out += '\\\\'; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      default:
        out += c >= 0x20 && c <= 0x7e ? s[i] : '\\x' + c.toString(16).padStart(2, '0');
    }
  }
  return out + '"';
}

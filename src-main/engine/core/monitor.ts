// MONITOR (Redis's replicationFeedMonitors): every command a node executes, except the admin ones
// and those flagged skip_monitor, is shown to each monitoring client as one status line:
//   +1700000000.123456 [0 127.0.0.1:5555] "set" "k" "v"
import type { BinaryString } from '../protocol/request-parser.js';
import { catRepr } from '../protocol/sds-quoting.js';
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
    this.show(client, argv);
  }

  /**
   * Shows a command line to the monitors whatever its flags: EVAL and FCALL (skip_monitor) show
   * themselves this way before their scripts' commands, as Redis's evalCommand does.
   */
  show(client: Client, argv: BinaryString[]): void {
    const nowUs = Math.round((performance.timeOrigin + performance.now()) * 1000);
    const time = `${Math.floor(nowUs / 1e6)}.${String(nowUs % 1e6).padStart(6, '0')}`;
    const source = client.socket ? client.address : 'lua';
    let line = `${time} [${client.db.id} ${source}]`;
    for (const arg of argv) line += ' ' + catRepr(arg);
    for (const monitor of this.clients) {
      monitor.reply.simple(line);
      monitor.scheduleFlush();
      monitor.server.limits.checkOutputBuffer(monitor);
    }
  }
}

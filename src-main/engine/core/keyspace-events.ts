// Keyspace notifications (notify.c): when `notify-keyspace-events` enables a class, a change to a
// key is published on `__keyspace@<db>__:<key>` (message: the event) and/or
// `__keyevent@<db>__:<event>` (message: the key). Command handlers call notify() after each change;
// the pub/sub family installs `publish`.
import type { BinaryString } from '../protocol/request-parser.js';
import { ALL_CLASSES } from '../config/keyspace-event-flags.js';

/** Event classes, by their config letter. */
export type EventClass = 'g' | '$' | 'l' | 's' | 'h' | 'z' | 'x' | 'e' | 't' | 'm' | 'd' | 'n';

export class KeyspaceEvents {
  /** Publishes to the channel `channelHead + channelTail`; installed by pub/sub. */
  publish: (channelHead: string, channelTail: BinaryString, message: BinaryString) => void = () => {};
  private classes = new Set<string>();
  private keyspace = false;
  private keyevent = false;

  /** Applies a `notify-keyspace-events` value (already validated by the config). */
  configure(flags: string): void {
    const expanded = flags.replace('A', ALL_CLASSES);
    this.keyspace = expanded.includes('K');
    this.keyevent = expanded.includes('E');
    this.classes = new Set(expanded.replace(/[KE]/g, ''));
  }

  /** Whether events of `eventClass` are published (the 'n' class costs nothing when off). */
  wants(eventClass: EventClass): boolean {
    return this.enabled && this.classes.has(eventClass);
  }

  get enabled(): boolean {
    return (this.keyspace || this.keyevent) && this.classes.size > 0;
  }

  notify(eventClass: EventClass, event: string, key: BinaryString, dbId: number): void {
    if (!this.enabled || !this.classes.has(eventClass)) return;
    if (this.keyspace) this.publish(channelPrefix(KEYSPACE_PREFIXES, '__keyspace@', dbId), key, event);
    if (this.keyevent) this.publish(channelPrefix(KEYEVENT_PREFIXES, '__keyevent@', dbId), event, key);
  }
}

// The channel names' `__keyspace@<db>__:` parts, made once per database. A node with
// notifications on publishes on every change; building each channel name (a number to text and
// three joins, then a flat copy to match and write it) was, on a replica taking 20k writes/s,
// the largest share of its garbage after the written keys and values themselves.
const KEYSPACE_PREFIXES: string[] = [];
const KEYEVENT_PREFIXES: string[] = [];

function channelPrefix(cache: string[], start: string, dbId: number): string {
  return (cache[dbId] ??= `${start}${dbId}__:`);
}

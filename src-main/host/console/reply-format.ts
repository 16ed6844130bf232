// A reply as redis-cli 7.0 prints it in its interactive (tty) mode: cliFormatReplyTTY in
// redis-cli.c. Strings are quoted and escaped with sdscatrepr (the engine's catRepr), arrays are
// numbered with their index right-aligned to the widest index and nested arrays indented under
// their parent's number; RESP3 sets number with "~", maps with "#" and "key => value", doubles and
// booleans get their own tags. The output ends with a newline, as redis-cli writes it.
import { catRepr } from '../../engine/index.js';
import type { ConsoleReply } from './resp-reader.js';

export function formatReplyTTY(reply: ConsoleReply, prefix = ''): string {
  switch (reply.type) {
    case 'error':
      return `(error) ${reply.text}\n`;
    case 'status':
      return `${reply.text}\n`;
    case 'integer':
      return `(integer) ${reply.value}\n`;
    case 'double':
      return `(double) ${reply.text}\n`;
    case 'string':
      return `${catRepr(reply.bytes)}\n`;
    case 'verbatim':
      // Printed as it is, unquoted: a verbatim string is meant to be shown to people.
      return `${reply.bytes}\n`;
    case 'nil':
      return '(nil)\n';
    case 'bool':
      return reply.value ? '(true)\n' : '(false)\n';
    case 'bignum':
      // Redis 7.0's redis-cli has no case for it: it prints this (and exits).
      return 'Unknown reply type: 13\n';
    case 'array':
    case 'set':
    case 'push':
    case 'map':
      return formatAggregate(reply, prefix);
  }
}

const EMPTY: Record<'array' | 'set' | 'push' | 'map', string> = {
  array: '(empty array)\n',
  map: '(empty hash)\n',
  set: '(empty set)\n',
  push: '(empty push)\n',
};

function formatAggregate(reply: ConsoleReply & { items: ConsoleReply[] }, prefix: string): string {
  const { items } = reply;
  if (items.length === 0) return EMPTY[reply.type as keyof typeof EMPTY];
  const isMap = reply.type === 'map';
  const count = isMap ? items.length / 2 : items.length;
  const indexWidth = String(count).length;
  // Elements below this one are indented past "<index>) ".
  const childPrefix = prefix + ' '.repeat(indexWidth + 2);
  const separator = reply.type === 'set' ? '~' : isMap ? '#' : ')';
  let out = '';
  const step = isMap ? 2 : 1;
  for (let i = 0; i < items.length; i += step) {
    const humanIndex = i / step + 1;
    // The first element goes on the line the parent already started (after its own index).
    out += `${i === 0 ? '' : prefix}${String(humanIndex).padStart(indexWidth)}${separator} `;
    out += formatReplyTTY(items[i]!, childPrefix);
    if (isMap) {
      const value = items[i + 1]!;
      out = out.slice(0, -1) + ' => ';
      // A value of several lines starts on a line of its own, aligned with the key.
      if (isMultiline(value)) out += '\n' + childPrefix;
      out += formatReplyTTY(value, childPrefix);
    }
  }
  return out;
}

/** redis-cli's cliIsMultilineValueTTY. */
function isMultiline(reply: ConsoleReply): boolean {
  switch (reply.type) {
    case 'array':
    case 'set':
    case 'push':
      if (reply.items.length === 0) return false;
      if (reply.items.length > 1) return true;
      return isMultiline(reply.items[0]!);
    case 'map':
      if (reply.items.length === 0) return false;
      if (reply.items.length > 2) return true;
      return isMultiline(reply.items[1]!);
    default:
      return false;
  }
}

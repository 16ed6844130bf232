// DEBUG PROTOCOL <type> and DEBUG ERROR <string> (debug.c): replies of every RESP type on demand,
// which client libraries use to test their parsers against a real server.
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';
import type { DebugSubcommand } from './debug-subcommand.js';

const PROTOCOL_TYPES: Record<string, (client: Client) => void> = {
  string: (client) => client.reply.bulk('Hello World'),
  integer: (client) => client.reply.integer(12345),
  double: (client) => client.reply.double(3.141),
  bignum: (client) => client.reply.bigNumber('1234567999999999999999999999999999999'),
  null: (client) => client.reply.null(),
  array: (client) => {
    client.reply.arrayHeader(3);
    for (let j = 0; j < 3; j++) client.reply.integer(j);
  },
  set: (client) => {
    client.reply.setHeader(3);
    for (let j = 0; j < 3; j++) client.reply.integer(j);
  },
  map: (client) => {
    client.reply.mapHeader(3);
    for (let j = 0; j < 3; j++) {
      client.reply.integer(j);
      client.reply.bool(j === 1);
    }
  },
  attrib: (client) => {
    if (client.reply.protocol === 3) {
      client.reply.attributeHeader(1);
      client.reply.bulk('key-popularity');
      client.reply.arrayHeader(2);
      client.reply.bulk('key:123');
      client.reply.integer(90);
    }
    // Attributes are not replies of their own: a real reply follows them.
    client.reply.bulk('Some real reply following the attribute');
  },
  push: (client) => {
    if (client.reply.protocol !== 3) {
      client.reply.error('ERR RESP2 is not supported by this command');
      return;
    }
    client.reply.pushHeader(2);
    client.reply.bulk('server-cpu-usage');
    client.reply.integer(42);
    // A push is out of band, so a normal reply follows for the client waiting on this command.
    client.reply.bulk('Some real reply following the push reply');
  },
  verbatim: (client) => client.reply.verbatim('This is a verbatim\nstring'),
  true: (client) => client.reply.bool(true),
  false: (client) => client.reply.bool(false),
};

function debugProtocol(client: Client, argv: BinaryString[]): void {
  const reply = PROTOCOL_TYPES[argv[2]!.toLowerCase()];
  if (reply) reply(client);
  else {
    client.reply.error(
      'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false',
    );
  }
}

/** DEBUG ERROR <string>: the string itself as the error line (no ERR prefix added). */
function debugError(client: Client, argv: BinaryString[]): void {
  client.reply.error(argv[2]!);
}

export const protocolDebugSubcommands: DebugSubcommand[] = [
  { name: 'protocol', argc: 3, handler: debugProtocol },
  { name: 'error', argc: 3, handler: debugError },
];

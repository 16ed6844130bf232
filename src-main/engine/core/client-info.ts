// One client described as CLIENT LIST / CLIENT INFO print it (networking.c catClientInfoString,
// Redis 7.0's fields in its order).
import { clientMemory } from './memory-overhead.js';
import type { Client } from './client.js';
import { isBlocked } from './blocking.js';

/** networking.c getClientTypeName for CLIENT LIST / KILL TYPE. */
export function clientTypeName(client: Client): 'normal' | 'slave' | 'master' | 'pubsub' {
  if (client.isMaster) return 'master';
  if (client.isReplica || client.isMonitor) return 'slave';
  return client.inPubSubContext ? 'pubsub' : 'normal';
}

function flagsOf(client: Client): string {
  let flags = '';
  if (client.isReplica) flags += 'S';
  if (client.isMonitor) flags += 'O';
  if (client.isMaster) flags += 'M';
  if (client.inPubSubContext) flags += 'P';
  if (client.multi !== null) flags += 'x';
  if (isBlocked(client)) flags += 'b';
  if (client.dirtyCas) flags += 'd';
  if (client.closeAfterReply) flags += 'c';
  if (client.noEvict) flags += 'e';
  return flags || 'N';
}

/** The socket's file descriptor, as Redis prints it (fd=-1 for clients without a connection). */
function fdOf(client: Client): number {
  const handle = (client.socket as unknown as { _handle?: { fd?: number } } | null)?._handle;
  return handle?.fd ?? -1;
}

export function clientInfoString(client: Client): string {
  const now = Date.now();
  const omem = client.outputBytes;
  return (
    `id=${client.id} addr=${client.address} laddr=${client.localAddress} fd=${fdOf(client)} name=${client.name}` +
    ` age=${Math.floor((now - client.createdAt) / 1000)} idle=${Math.floor((now - client.lastInteraction) / 1000)}` +
    ` flags=${flagsOf(client)} db=${client.db.id} sub=${client.channels.size} psub=${client.patterns.size} ssub=${client.shardChannels.size}` +
    ` multi=${client.multi === null ? -1 : client.multi.length} qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0` +
    ` rbs=1024 rbp=0 obl=0 oll=0 omem=${omem} tot-mem=${clientMemory(client, omem)} events=r${omem > 0 ? 'w' : ''}` +
    ` cmd=${client.lastCommand} user=${client.user?.name ?? '(superuser)'} redir=-1 resp=${client.reply.protocol}`
  );
}

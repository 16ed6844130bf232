// Finding TCP ports for nodes. A port counts as free only if we can really bind it on 127.0.0.1
// right now: another lab, a system redis-server or any other program may hold it.
import { createServer } from 'node:net';

/** Redis's well-known port: the lab's nodes count up from here, as people expect. */
const FIRST_NODE_PORT = 6379;

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** The first port from `from` up that no lab node owns (`taken`) and that is free on 127.0.0.1. */
export async function nextFreePort(taken: ReadonlySet<number>, from = FIRST_NODE_PORT): Promise<number> {
  for (let port = from; port <= 65535; port++) {
    if (!taken.has(port) && (await isPortFree(port))) return port;
  }
  throw new Error(`no free TCP port from ${from} up on 127.0.0.1`);
}

/**
 * The port for a node about to be created: `requested` if no lab node owns it and it is free, else
 * an error saying who holds it; without a request, the next free one from 6379 up.
 */
export async function portForNewNode(owners: ReadonlyArray<{ port: number; name: string }>, requested?: number): Promise<number> {
  if (requested === undefined) return nextFreePort(new Set(owners.map((owner) => owner.port)));
  const owner = owners.find((candidate) => candidate.port === requested);
  if (owner) throw new Error(`port ${requested} already belongs to ${owner.name}`);
  if (!(await isPortFree(requested))) throw new Error(`port ${requested} is in use by another program on 127.0.0.1`);
  return requested;
}

// A lab whose nodes are on ports the OS just handed out, for tests that run beside other labs: a
// new lab's first nodes take 6379 upwards, which another test's lab (or another program on a shared
// machine) may take at the same moment. The lab's own first nodes are removed, and `count` nodes
// are added on free ports instead (the first one a master, the others its replicas if `linked`).
import type { NodeSummary } from '../../src-main/api/index.js';
import type { LabHost } from '../../src-main/host/lab-host.js';
import { waitUntil } from './browser.js';
import { freePort } from './servers.js';

export async function nodesOnFreePorts(lab: LabHost, count: number, options: { linked?: boolean } = {}): Promise<NodeSummary[]> {
  for (const node of await lab.listNodes()) await lab.removeNode(node.id, { deleteDir: true });
  const nodes: NodeSummary[] = [];
  for (let i = 0; i < count; i++) nodes.push(await lab.addNode({ name: `node-${i + 1}`, port: await freePort() }));
  if (options.linked) {
    const [master, ...replicas] = nodes;
    for (const replica of replicas) await lab.linkNode(replica.id, master!.id);
    await waitUntil(
      'the replicas are online',
      async () =>
        (await lab.listNodes()).find((n) => n.id === master!.id)?.info?.replicas.filter((r) => r.state === 'online').length ===
        replicas.length,
    );
  }
  return nodes;
}

// The node panel's data: the node's own `INFO everything` (through the host's INFO channel, as the
// poller reads it, so it shows even when requirepass is set), the files in its directory, and on
// request its CLIENT LIST (over TCP, as any client asks).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientListEntry, NodeFileEntry, NodePanelData } from '../../api/index.js';
import { infoSections } from '../metrics/info-parser.js';
import { queryNodeText } from '../nodes/node-command.js';
import { nodeAddress } from '../nodes/node-address.js';
import type { NodeRegistry } from '../nodes/node-registry.js';

export class NodePanelService {
  constructor(private readonly registry: NodeRegistry) {}

  async panel(id: string): Promise<NodePanelData> {
    const node = this.registry.get(id);
    const running = node.running;
    let text: string | null = null;
    let sampledAt: number | null = null;
    if (running) {
      text = await running.info('everything');
      sampledAt = Date.now();
    }
    // An external node's directory, config and log are on its own machine, not in the lab's.
    const own = !node.stored.external;
    return {
      id,
      dir: own ? node.files.dir : '',
      configFile: own ? node.files.configFile : '',
      logFile: own ? node.files.logFile : '',
      sampledAt,
      sections: text === null ? [] : infoSections(text),
      // An external node's files are on its own machine, out of the lab's reach.
      files: node.stored.external ? [] : listFiles(node.files.dir),
    };
  }

  async clients(id: string): Promise<ClientListEntry[]> {
    const node = this.registry.get(id);
    if (!node.running) throw new Error(`${node.stored.name} is not running`);
    const text = await queryNodeText(nodeAddress(node), ['CLIENT', 'LIST']);
    return parseClientList(text);
  }
}

/** CLIENT LIST's lines of space-separated `field=value` pairs (no value holds a space: CLIENT SETNAME refuses them). */
export function parseClientList(text: string): ClientListEntry[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) =>
      line.split(' ').map((pair) => {
        const eq = pair.indexOf('=');
        return eq === -1 ? ([pair, ''] as [string, string]) : ([pair.slice(0, eq), pair.slice(eq + 1)] as [string, string]);
      }),
    );
}

/** The files of `dir` and of its subfolders one level down (the AOF's appendonlydir), sorted by path. */
export function listFiles(dir: string): NodeFileEntry[] {
  const files: NodeFileEntry[] = [];
  const visit = (folder: string, prefix: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return; // not created yet, or removed meanwhile
    }
    for (const name of names) {
      try {
        const stat = statSync(join(folder, name));
        if (stat.isDirectory()) {
          if (depth === 0) visit(join(folder, name), `${prefix}${name}/`, depth + 1);
        } else {
          files.push({ path: prefix + name, size: stat.size, modifiedAt: stat.mtimeMs });
        }
      } catch {
        // A temp file (temp-123.rdb) can vanish between readdir and stat.
      }
    }
  };
  visit(dir, '', 0);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

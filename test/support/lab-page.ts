// What the lab's UI tests read from the page and the nodes again and again: the running nodes as
// their Stop buttons name them, and one INFO field of a node read with Debian's redis-cli.
import type { Page } from 'playwright-core';
import { redisCli } from './servers.js';

/** The accessible name of a running node's Stop button: "Stop node <name> (port <port>)". */
export const STOP_BUTTON = /^Stop node (.+) \(port (\d+)\)$/;

export interface ShownNode {
  name: string;
  /** "<name> (port <port>)", as the controls name the node. */
  label: string;
  port: number;
}

/** The running nodes as their Stop buttons name them, lowest port first. */
export async function runningNodes(page: Page): Promise<ShownNode[]> {
  const names = await page
    .getByRole('button', { name: STOP_BUTTON })
    .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label') ?? ''));
  return names
    .map((name) => {
      const [, nodeName, port] = STOP_BUTTON.exec(name)!;
      return { name: nodeName!, label: `${nodeName} (port ${port})`, port: Number(port) };
    })
    .sort((a, b) => a.port - b.port);
}

/** One field of the node's INFO (all sections unless `section`), read with redis-cli; '' when absent. */
export function infoField(port: number, field: string, section = 'all'): string {
  const line = redisCli(port, ['INFO', section])
    .split(/\r?\n/)
    .find((l) => l.startsWith(`${field}:`));
  return line?.slice(field.length + 1) ?? '';
}

// What the lab's UI tests do again and again: open a lab in Chromium, read the running nodes as
// their Stop buttons name them, and one INFO field of a node with Debian's redis-cli.
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startBrowserMode, waitUntil, type BrowserModeLab } from './browser.js';
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

/** A lab in browser mode with its page open in Chromium (see openLab). */
export interface OpenedLab {
  lab: BrowserModeLab;
  browser: Browser;
  page: Page;
  /** The lab's running nodes, lowest port first (empty when the page was not loaded). */
  nodes: ShownNode[];
}

/**
 * What every UI test starts with: a new lab in browser mode and a Chromium page of `viewport`,
 * whose uncaught errors go to `pageErrors`. With `load` (the default) the page opens the lab and
 * waits for its three default nodes; the caller waits for whatever else it needs (links up...).
 */
export async function openLab(opts: {
  viewport: { width: number; height: number };
  pageErrors?: string[];
  load?: boolean;
  acceptDownloads?: boolean;
  lab?: Parameters<typeof startBrowserMode>[0];
}): Promise<OpenedLab> {
  const lab = await startBrowserMode(opts.lab);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: opts.viewport, acceptDownloads: opts.acceptDownloads });
  const pageErrors = opts.pageErrors;
  if (pageErrors) page.on('pageerror', (error) => pageErrors.push(error.message));
  if (opts.load === false) return { lab, browser, page, nodes: [] };
  await page.goto(lab.url);
  await waitUntil('three nodes are running', async () => (await runningNodes(page)).length === 3);
  return { lab, browser, page, nodes: await runningNodes(page) };
}

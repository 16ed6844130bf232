// Helpers for tests that drive the lab's UI: browser mode started as a real process, exactly as a
// user starts it, and Debian's Chromium through playwright-core. Both are always stopped again.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, ROOT, tempDir } from './servers.js';

export interface BrowserModeLab {
  /** The `UI:` URL the lab printed, token included. */
  url: string;
  dataDir: string;
  proc: ChildProcess;
  /** Everything the lab wrote to stderr so far, for failure messages. */
  stderr(): string;
  /** Everything the lab wrote to stdout so far (the UI line). */
  stdout(): string;
  /**
   * SIGTERM, wait for the exit (SIGKILL if it hangs), delete the data dir unless `keepData` (to
   * start the same lab again); resolves with the exit code.
   */
  stop(opts?: { keepData?: boolean }): Promise<number | null>;
}

const UI_LINE = /^UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m;

/**
 * `node out/main/launcher.js --headless …` from the built app (`npm run build` first). By default a
 * new data dir and a free HTTP port; `dataDir` starts an existing lab again, `httpPort: null` leaves
 * the port to the lab, `args` adds options.
 */
export async function startBrowserMode(
  opts: { timeoutMs?: number; dataDir?: string; httpPort?: number | null; args?: string[] } = {},
): Promise<BrowserModeLab> {
  const httpPort = opts.httpPort === undefined ? await freePort() : opts.httpPort;
  const dataDir = opts.dataDir ?? tempDir('replicalab-ui-');
  const portArgs = httpPort === null ? [] : ['--http-port', String(httpPort)];
  const proc = spawn(
    process.execPath,
    [join(ROOT, 'out', 'main', 'launcher.js'), '--headless', ...portArgs, '--data-dir', dataDir, ...(opts.args ?? [])],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  const stop = async (stopOpts: { keepData?: boolean } = {}): Promise<number | null> => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    // The lab stops its nodes before exiting; give it time, but never leave it behind.
    const killer = setTimeout(() => proc.kill('SIGKILL'), 20000);
    const code = await exited;
    clearTimeout(killer);
    if (!stopOpts.keepData) rmSync(dataDir, { recursive: true, force: true });
    return code;
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`browser mode printed no UI line in time:\n${stdout}${stderr}`)),
        opts.timeoutMs ?? 60000,
      );
      proc.stdout!.on('data', (d) => {
        stdout += d;
        const match = UI_LINE.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`browser mode exited with ${code} before printing its UI line:\n${stdout}${stderr}`));
      });
    });
    return { url, dataDir, proc, stderr: () => stderr, stdout: () => stdout, stop };
  } catch (error) {
    await stop({ keepData: opts.dataDir !== undefined });
    throw error;
  }
}

/** Debian's Chromium, headless, with nothing phoning home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Poll `check` until it returns true; on timeout fail with `what` (playwright-core has no `expect`). */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A screenshot of the node details panel with its whole content, not just what its scrolling area
 * shows at the test's window size (for the pictures in docs/): the panel's scrollers are let out
 * for the shot and put back after.
 */
export async function screenshotDetails(page: Page, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const style = await page.addStyleTag({
    content: [
      '.app, .workspace { height: auto !important; overflow: visible !important; }',
      '.lower { flex: none !important; height: auto !important; align-items: start !important; }',
      '#node-details { height: auto !important; max-height: none !important; overflow: visible !important; }',
      '#node-details [role="tabpanel"], #node-details [role="tabpanel"] > * { overflow: visible !important; flex: none !important; height: auto !important; max-height: none !important; }',
    ].join('\n'),
  });
  await page.waitForTimeout(100);
  await page.locator('#node-details').screenshot({ path });
  await style.evaluate((node) => (node as Element).remove());
}

// The `ui` section of `npm run bench` (issue 16): "the UI never blocks: with 10 nodes under write
// load, the host's event-loop delay p99 stays under 50 ms and the page updates at least once a
// second". A real lab host in this process (LabHost, as browser mode runs it, with its browser
// server) holds 10 nodes, a master and nine replicas linked through the lab's relays; the write
// load generator (host/load/) writes to the master; Debian's Chromium shows the page. Measured
// over the run: this process's event-loop delay (monitorEventLoopDelay, resolution 1 ms), the
// `nodes` pushes the host sent, and in the page the times the node table changed (a
// MutationObserver), whose largest gap says how long the page went without an update.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LabHost } from '../src-main/host/lab-host.js';
import { startBrowserServer } from '../src-main/host/transport/browser-server.js';
import { launchChromium, waitUntil } from '../test/support/browser.js';
import { nodesOnFreePorts } from '../test/support/lab-nodes.js';
import { ROOT, tempDir } from '../test/support/servers.js';

const NODES = 10;

export async function uiBench(options: { quick: boolean }): Promise<void> {
  const rate = options.quick ? 2_000 : 5_000;
  const measureMs = options.quick ? 10_000 : 30_000;
  const dataDir = tempDir('replicalab-bench-ui-');
  const lab = await LabHost.open({ dataDir, workerScript: join(ROOT, 'out', 'main', 'node-worker.js') });
  const server = await startBrowserServer({
    lab,
    access: lab.access,
    rendererDir: join(ROOT, 'out', 'renderer'),
    port: 0,
  });
  const browser = await launchChromium();
  try {
    const [master] = await nodesOnFreePorts(lab, NODES, { linked: true });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    const table = page.getByRole('table', { name: /^Nodes of the lab/ });
    await waitUntil('the page lists the nodes', async () => (await table.getByRole('row').count()) === NODES + 1);
    await lab.startLoad(master!.id, { rate, keys: 10_000, valueSize: 100, mix: ['set'], ttlSeconds: 0 });
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // the load and the replicas settle

    await table.evaluate((element) => {
      const times: number[] = [];
      (window as unknown as { tableUpdates: number[] }).tableUpdates = times;
      new MutationObserver(() => times.push(performance.now())).observe(element, { subtree: true, childList: true, characterData: true });
    });
    const pushTimes: number[] = [];
    const unsubscribe = lab.onPush((push) => {
      if (push.type === 'nodes') pushTimes.push(performance.now());
    });
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, measureMs));
    delay.disable();
    unsubscribe();
    const pageStart = await page.evaluate(() => performance.now());
    const updates = await page.evaluate(() => (window as unknown as { tableUpdates: number[] }).tableUpdates.slice());
    const loads = await lab.listLoads();
    await lab.stopLoad(master!.id);

    // The largest gap between table updates, counting from the start and to the end of the window.
    const windowStart = pageStart - (performance.now() - started);
    const marks = [windowStart, ...updates.filter((t) => t >= windowStart), pageStart];
    const gaps = marks.slice(1).map((t, i) => t - marks[i]!);
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    const pushGaps = pushTimes.slice(1).map((t, i) => t - pushTimes[i]!);
    console.log(`\n## UI responsiveness (issue 16): ${NODES} nodes, write load ${rate}/s, ${measureMs / 1000} s\n`);
    console.log('| measure | value | limit (issue 16) |');
    console.log('|---|---:|---:|');
    console.log(
      `| host event-loop delay p50 / p99 / max (ms) | ${ms(delay.percentile(50))} / ${ms(delay.percentile(99))} / ${ms(delay.max)} | p99 under 50 |`,
    );
    console.log(`| \`nodes\` pushes sent / largest gap (ms) | ${pushTimes.length} / ${Math.max(...pushGaps).toFixed(0)} | |`);
    console.log(
      `| node-table updates in the page / largest gap (ms) | ${updates.length} / ${Math.max(...gaps).toFixed(0)} | gap at most 1000 |`,
    );
    console.log(`| writes acknowledged per second (the generator's last report) | ${loads[0]?.achievedRate ?? 'n/a'} | |`);
  } finally {
    await browser.close();
    await server.close();
    await lab.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

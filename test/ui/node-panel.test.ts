// The node panel in Chromium: the INFO tab shows the real node's INFO (values checked against
// Debian's redis-cli INFO on the same node), the filter keeps only matching fields, the replication
// fields carry their explanations, and after a SAVE sent with redis-cli the files list shows
// dump.rdb with the size it has on disk. Run after `npm run build`. With UPDATE_SCREENSHOT=1 it also
// replaces docs/node-panel.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { screenshotDetails, waitUntil, type BrowserModeLab } from '../support/browser.js';
import { type ShownNode, infoField, openLab } from '../support/lab-page.js';
import { redisCli, ROOT } from '../support/servers.js';

describe('the node panel', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let node: { label: string; port: number };
  let panel: Locator;

  /** The value shown for an INFO field, and its explanation ('' if none). */
  async function shown(field: string): Promise<{ value: string; explanation: string } | null> {
    const row = panel.locator('table.info tr').filter({ has: page.locator('.name', { hasText: new RegExp(`^${field}$`) }) });
    if ((await row.count()) === 0) return null;
    const explanation = row.locator('.explain');
    return {
      value: (await row.locator('td').innerText()).trim(),
      explanation: (await explanation.count()) > 0 ? (await explanation.innerText()).trim() : '',
    };
  }

  before(async () => {
    let nodes: ShownNode[];
    ({ lab, browser, page, nodes } = await openLab({ viewport: { width: 1024, height: 700 }, pageErrors }));
    node = nodes[0]!;
    await page.getByRole('button', { name: `Details and log of ${node.label}` }).click();
    await page.getByRole('tab', { name: 'INFO' }).click();
    panel = page.getByRole('tabpanel', { name: 'INFO' });
    await waitUntil('INFO is shown', async () => (await shown('run_id')) !== null);
  });

  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  it("shows the node's own INFO, grouped by section, as redis-cli INFO reads it", async () => {
    for (const field of ['run_id', 'tcp_port', 'master_replid', 'repl_backlog_size', 'config_file']) {
      assert.equal((await shown(field))?.value, infoField(node.port, field, 'everything'), field);
    }
    const captions = (await panel.locator('table.info caption').allInnerTexts()).map((c) => c.trim());
    for (const section of ['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Keyspace']) {
      assert.ok(captions.includes(section), `${section} in ${JSON.stringify(captions)}`);
    }
    assert.match((await shown('master_repl_offset'))!.explanation, /bytes of replication stream/);
    assert.match((await shown('second_repl_offset'))!.explanation, /master_replid2/);
    assert.match((await shown('repl_backlog_histlen'))!.explanation, /from repl_backlog_first_byte_offset up to master_repl_offset/);
    // The directory and redis.conf: the node's own config_file.
    assert.ok((await panel.innerText()).includes(infoField(node.port, 'config_file', 'everything')));
  });

  it('filters the fields', async () => {
    const filter = panel.getByRole('searchbox', { name: `Filter INFO fields of ${node.label}` });
    await filter.fill('repl_backlog');
    await waitUntil('only matching fields are shown', async () => (await shown('used_memory')) === null);
    const names = await panel.locator('table.info .name').allInnerTexts();
    assert.deepEqual(names.sort(), ['repl_backlog_active', 'repl_backlog_first_byte_offset', 'repl_backlog_histlen', 'repl_backlog_size']);
    await filter.fill('');
    await waitUntil('every field is back', async () => (await shown('used_memory')) !== null);
  });

  it('lists dump.rdb after a SAVE, with its size on disk, and the save in the persistence state', async () => {
    const before = Date.now();
    assert.equal(redisCli(node.port, ['SET', 'saved-key', 'x'.repeat(5000)]), 'OK');
    assert.equal(redisCli(node.port, ['SAVE']), 'OK');
    const dir = infoField(node.port, 'config_file', 'everything').replace(/\/redis\.conf$/, '');
    const size = statSync(join(dir, 'dump.rdb')).size;
    const files = panel.getByRole('table', { name: "Files in the node's directory" });
    const rdbRow = files.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'dump.rdb', exact: true }) });
    await waitUntil('dump.rdb is listed with its size on disk', async () => {
      if ((await rdbRow.count()) === 0) return false;
      return (await rdbRow.locator('td').first().getAttribute('title')) === `${size} bytes`;
    });
    assert.ok(statSync(join(dir, 'dump.rdb')).mtimeMs >= before - 1000);
    await waitUntil(
      'the last save is the one just made',
      async () => (await shown('rdb_last_save_time'))?.value === infoField(node.port, 'rdb_last_save_time', 'everything'),
    );
    assert.equal((await shown('rdb_changes_since_last_save'))?.value, '0');
    const persistence = await panel.getByRole('region', { name: 'Persistence' }).innerText();
    assert.match(persistence, /AOF\s+off/);
    assert.match(persistence, /Last save status\s+ok/);

    assert.deepEqual(pageErrors, []);
  });

  it("lists the node's clients with CLIENT LIST, as a client that AUTH applies to", async () => {
    await panel.getByRole('button', { name: `List the clients of ${node.label} (CLIENT LIST)` }).click();
    const table = panel.getByRole('table', { name: `CLIENT LIST of ${node.label}` });
    await table.waitFor();
    const flags = await table.locator('tbody tr td:nth-child(6)').allInnerTexts();
    // The replicas are clients with flag S, as many as the node's INFO says it has.
    assert.equal(flags.filter((f) => f.trim() === 'S').length, Number(infoField(node.port, 'connected_slaves', 'everything')));
    assert.ok((await table.innerText()).includes('client|list'), 'the request lists itself');

    assert.equal(redisCli(node.port, ['CONFIG', 'SET', 'requirepass', 'pw']), 'OK');
    try {
      await panel.getByRole('button', { name: `List the clients of ${node.label} (CLIENT LIST)` }).click();
      await panel.getByRole('alert').filter({ hasText: 'NOAUTH Authentication required.' }).waitFor();
    } finally {
      redisCli(node.port, ['-a', 'pw', '--no-auth-warning', 'CONFIG', 'SET', 'requirepass', '']);
    }
  });

  it('fits the window without sideways scrolling at 1024x700 and 1920x1080, on every details tab', async () => {
    for (const viewport of [
      { width: 1024, height: 700 },
      { width: 1920, height: 1080 },
    ]) {
      await page.setViewportSize(viewport);
      for (const tab of ['Log', 'Console', 'INFO', 'Backlog']) {
        await page.getByRole('tablist', { name: 'Node details' }).getByRole('tab', { name: tab, exact: true }).click();
        await page.getByRole('tabpanel', { name: tab, exact: true }).waitFor();
        await page.waitForTimeout(300);
        // A string, not a function: the test runner's transpiler would add helpers the page does not have.
        const overflow = await page.evaluate(`(() => {
          const panel = document.querySelector('#node-details [role="tabpanel"]');
          const inPanel = panel ? [panel, ...panel.querySelectorAll('*')] : [];
          const table = document.querySelector('.table-wrap');
          const page = document.scrollingElement;
          return {
            page: page.scrollWidth > page.clientWidth + 1,
            nodeTable: table.scrollWidth > table.clientWidth + 1 ? [table.scrollWidth, table.clientWidth, [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim() + ':' + th.offsetWidth).join(' ')] : false,
            panel: inPanel.filter((el) => getComputedStyle(el).overflowX !== 'visible' && !el.classList.contains('visually-hidden') && el.scrollWidth > el.clientWidth + 1).map((el) => el.className),
          };
        })()`);
        assert.deepEqual(overflow, { page: false, nodeTable: false, panel: [] }, `${tab} at ${viewport.width}x${viewport.height}`);
      }
    }
    await page.getByRole('tablist', { name: 'Node details' }).getByRole('tab', { name: 'INFO', exact: true }).click();
    await page.getByRole('searchbox', { name: `Filter INFO fields of ${node.label}` }).fill('offset');
    await page.waitForTimeout(300);
    await panel.locator('#node-panel-info').scrollIntoViewIfNeeded();
    const shot =
      process.env.UPDATE_SCREENSHOT === '1' ? join(ROOT, 'docs', 'node-panel.png') : join(ROOT, 'test-results', 'node-panel.png');
    await screenshotDetails(page, shot);
  });
});

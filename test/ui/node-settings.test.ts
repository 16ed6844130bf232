// The Settings tab and the Add node dialog in Chromium at 1024x700, checked on the real nodes with
// Debian's redis-cli: settings applied from the tab are the node's (CONFIG GET) and in its
// redis.conf; a value the node refuses shows the node's own error at the field and changes
// nothing; persistence switched to RDB + AOF; a node added with settings has them, and one added
// with a refused value or a port in use is not created. Run after `npm run build`. With UPDATE_SCREENSHOT=1 it also
// replaces docs/settings.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { screenshotDetails, waitUntil, type BrowserModeLab } from '../support/browser.js';
import { type ShownNode, openLab, runningNodes } from '../support/lab-page.js';
import { freePort, redisCli, ROOT } from '../support/servers.js';

const configGet = (port: number, name: string): string => redisCli(port, ['CONFIG', 'GET', name]).split('\n')[1] ?? '';

/** Types into a field and leaves it, as a user does (the value is taken on change). */
async function type(field: Locator, text: string): Promise<void> {
  await field.fill(text);
  await field.press('Tab');
}

/** Every input and select in `scope` has an accessible name (a label or aria-label). */
async function unnamedControls(scope: Locator): Promise<string[]> {
  return scope
    .locator('input, select')
    .evaluateAll((controls) =>
      controls.filter((c) => ((c as HTMLInputElement).labels?.length ?? 0) === 0 && !c.getAttribute('aria-label')).map((c) => c.outerHTML),
    );
}

describe('per-node settings in the UI', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let node: { label: string; port: number };
  let panel: Locator;

  before(async () => {
    let nodes: ShownNode[];
    ({ lab, browser, page, nodes } = await openLab({ viewport: { width: 1024, height: 700 }, pageErrors }));
    node = nodes[0]!;
    await page.getByRole('button', { name: `Details and log of ${node.label}` }).click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    panel = page.getByRole('tabpanel', { name: 'Settings' });
    await panel.locator('#node-setting-maxmemory').waitFor();
  });

  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  it("shows the node's own values, every field named", async () => {
    assert.equal(await panel.locator('#node-setting-maxmemory').inputValue(), configGet(node.port, 'maxmemory'));
    assert.equal(await panel.locator('#node-setting-repl-timeout').inputValue(), configGet(node.port, 'repl-timeout'));
    assert.equal(await panel.getByRole('radio', { name: 'RDB snapshots' }).isChecked(), true);
    assert.deepEqual(await unnamedControls(panel), []);
    assert.equal(await panel.getByRole('combobox', { name: /^maxmemory-policy/ }).count(), 1);
  });

  it("a value the node refuses: the node's error at the field, nothing changed on the node", async () => {
    await type(panel.locator('#node-setting-maxmemory'), '100mb');
    await type(panel.locator('#node-setting-repl-timeout'), '0');
    await panel.getByRole('button', { name: 'Apply 2 changes' }).click();
    const error = panel.locator('#node-setting-repl-timeout-error');
    await error.waitFor();
    assert.equal(
      (await error.innerText()).trim(),
      "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument must be between 1 and 2147483647 inclusive",
    );
    assert.equal(await panel.locator('#node-setting-repl-timeout').getAttribute('aria-describedby'), 'node-setting-repl-timeout-error');
    assert.equal(configGet(node.port, 'maxmemory'), '0', 'the accepted maxmemory was put back');
    assert.equal(configGet(node.port, 'repl-timeout'), '60');
  });

  it('applies a group of settings live and keeps them in redis.conf', async () => {
    await type(panel.locator('#node-setting-repl-timeout'), '30');
    await panel.locator('#node-setting-maxmemory-policy').selectOption('allkeys-lru');
    await panel.getByRole('radio', { name: 'RDB and AOF' }).check();
    await panel.locator('#node-setting-appendfsync').selectOption('always');
    await panel.getByRole('button', { name: /^Apply \d+ changes$/ }).click();
    await waitUntil('the node has the settings', () => configGet(node.port, 'appendonly') === 'yes');
    assert.equal(configGet(node.port, 'maxmemory'), '104857600');
    assert.equal(configGet(node.port, 'repl-timeout'), '30');
    assert.equal(configGet(node.port, 'maxmemory-policy'), 'allkeys-lru');
    assert.equal(configGet(node.port, 'appendfsync'), 'always');
    const configFile = configGet(node.port, 'dir');
    const conf = readFileSync(join(configFile, 'redis.conf'), 'utf8');
    assert.match(conf, /^maxmemory-policy allkeys-lru$/m);
    assert.match(conf, /^appendonly yes$/m);
    await waitUntil(
      'the tab shows what the node says',
      async () => (await panel.locator('#node-setting-maxmemory').inputValue()) === '104857600',
    );
    assert.equal(await panel.locator('.field-error').count(), 0);
    await panel.locator('#node-setting-maxmemory-policy').scrollIntoViewIfNeeded();
    const shot = process.env.UPDATE_SCREENSHOT === '1' ? join(ROOT, 'docs', 'settings.png') : join(ROOT, 'test-results', 'settings.png');
    await screenshotDetails(page, shot);
  });

  it('Add node with settings: the new node has them; a refused value creates nothing', async () => {
    const port = await freePort();
    await page.getByRole('button', { name: 'With settings…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a node' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('tuned');
    // A port in use: the host's message in the dialog, nothing created.
    await dialog.getByRole('textbox', { name: 'Port' }).fill(String(node.port));
    await dialog.getByRole('button', { name: 'Add node' }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: `port ${node.port} already belongs to node-1` })
      .waitFor();
    assert.equal((await runningNodes(page)).length, 3);
    await dialog.getByRole('textbox', { name: 'Port' }).fill(String(port));
    await dialog.getByRole('radio', { name: 'AOF', exact: true }).check();
    await dialog.locator('#add-node-setting-maxmemory-policy').selectOption('allkeys-lfu');
    await type(dialog.locator('#add-node-setting-repl-backlog-size'), 'lots');
    assert.deepEqual(await unnamedControls(dialog), []);
    await dialog.getByRole('button', { name: 'Add node' }).click();
    const fieldError = dialog.locator('#add-node-setting-repl-backlog-size-error');
    await fieldError.waitFor();
    assert.match(
      await fieldError.innerText(),
      /the node refused repl-backlog-size: ERR CONFIG SET failed \(possibly related to argument 'repl-backlog-size'\)/,
    );
    assert.match(await fieldError.innerText(), /nothing was created/);
    assert.equal((await runningNodes(page)).length, 3);
    assert.notEqual(redisCli(port, ['PING']), 'PONG');

    await type(dialog.locator('#add-node-setting-repl-backlog-size'), '2mb');
    await dialog.getByRole('button', { name: 'Add node' }).click();
    await waitUntil(
      'the new node is listed',
      async () => (await page.getByRole('button', { name: `Stop node tuned (port ${port})` }).count()) === 1,
    );
    await waitUntil('the dialog closes', async () => !(await dialog.isVisible()));
    assert.equal(configGet(port, 'appendonly'), 'yes');
    assert.equal(configGet(port, 'save'), '');
    assert.equal(configGet(port, 'maxmemory-policy'), 'allkeys-lfu');
    assert.equal(configGet(port, 'repl-backlog-size'), String(2 * 1024 * 1024));
    assert.deepEqual(pageErrors, []);
  });
});

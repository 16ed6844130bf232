// The lab's URL in a tab that stays open: the lab restarts (same data dir, so same token and port)
// and the tab reconnects by itself, without a reload; then "Rotate token" gives the lab a new token,
// the tab carries on with it, and the old URL is refused. Browser mode and Debian's Chromium are
// real; run after `npm run build`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startBrowserMode, waitUntil, type BrowserModeLab } from '../support/browser.js';
import { openLab, runningNodes } from '../support/lab-page.js';
import { redisCli, tempDir } from '../support/servers.js';

async function pillText(page: Page): Promise<string> {
  return (await page.locator('header .pill').innerText()).trim();
}

describe('the lab token in an open tab', () => {
  const dataDir = tempDir('replicalab-ui-token-');
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    ({ lab, browser, page } = await openLab({
      viewport: { width: 1024, height: 700 },
      pageErrors,
      lab: { dataDir, httpPort: null },
      load: false,
    }));
  });

  after(async () => {
    await browser?.close();
    await lab?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reconnects by itself, without a reload, after the lab restarts', async () => {
    const firstUrl = lab!.url;
    await page.goto(firstUrl);
    await waitUntil('three nodes are running', async () => (await runningNodes(page)).map((node) => node.port).length === 3);
    // Gone if the page reloads: proves the same page reconnected.
    await page.evaluate(() => ((window as unknown as { sameTab: boolean }).sameTab = true));

    assert.equal(await lab!.stop({ keepData: true }), 0, lab!.stderr());
    await waitUntil('the tab says it lost the lab', async () => (await pillText(page)).startsWith('Disconnected'));
    lab = await startBrowserMode({ dataDir, httpPort: null });
    assert.equal(lab.url, firstUrl, 'the same URL: token and port are the lab’s own');

    await waitUntil('the tab reconnects', async () => (await pillText(page)) === 'Connected', 30000);
    await waitUntil('the nodes are back', async () => (await runningNodes(page)).map((node) => node.port).length === 3);
    for (const port of (await runningNodes(page)).map((node) => node.port)) assert.equal(redisCli(port, ['PING']), 'PONG');
    assert.equal(await page.evaluate(() => (window as unknown as { sameTab?: boolean }).sameTab), true, 'no reload');
  });

  it('"Rotate token" gives the lab a new token; the tab carries on with it and the old URL is refused', async () => {
    const oldUrl = lab!.url;
    const oldToken = new URL(oldUrl).searchParams.get('token')!;
    await page.getByRole('button', { name: "Rotate the lab's access token" }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate the access token?' });
    await dialog.getByRole('button', { name: 'Rotate token', exact: true }).click();

    await waitUntil('the tab reloads with a new token', () => {
      const token = new URL(page.url()).searchParams.get('token');
      return token !== null && token !== oldToken;
    });
    const newToken = new URL(page.url()).searchParams.get('token')!;
    assert.match(newToken, /^[0-9a-f]{64}$/);
    await waitUntil('the tab is connected again', async () => (await pillText(page)) === 'Connected');
    await waitUntil('the nodes show', async () => (await runningNodes(page)).map((node) => node.port).length === 3);

    assert.equal((await fetch(oldUrl)).status, 401, 'the old URL is refused');
    assert.equal((await fetch(page.url())).status, 200);
    assert.deepEqual(pageErrors, [], 'the page threw no uncaught errors');
  });
});

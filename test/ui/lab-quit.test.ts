// Quitting the lab shows its progress in the open tab: browser mode stopped as a user stops it
// (SIGTERM), and the tab, still connected while the nodes stop, tells which ones are stopping,
// the master first, then its replicas. Browser mode and Debian's Chromium are real; run after `npm run build`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { waitUntil, type BrowserModeLab } from '../support/browser.js';
import { openLab } from '../support/lab-page.js';

describe('quitting the lab', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async () => {
    ({ lab, browser, page } = await openLab({ viewport: { width: 1024, height: 700 }, load: false }));
  });

  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  it('the tab shows the nodes stopping, the master before its replicas, until all have stopped', async () => {
    await page.goto(lab!.url);
    await waitUntil('three nodes are running', async () => (await page.getByRole('button', { name: /^Stop node / }).count()) === 3);
    // Every progress text that appears, in order (a toast lives a few seconds; this misses none).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { quitTexts: string[] }).quitTexts = seen;
      new MutationObserver(() => {
        for (const match of document.body.innerText.matchAll(/(\d+ of \d+ stopped; stopping [^.]+\.|All \d+ nodes stopped\.)/g))
          if (!seen.includes(match[1]!)) seen.push(match[1]!);
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    lab!.proc.kill('SIGTERM');
    assert.equal(await lab!.stop({ keepData: true }), 0, lab!.stderr());
    await waitUntil('the tab says every node stopped', async () =>
      (await page.evaluate(() => (window as unknown as { quitTexts: string[] }).quitTexts)).some((t) => t.startsWith('All 3')),
    );
    const texts = await page.evaluate(() => (window as unknown as { quitTexts: string[] }).quitTexts);
    assert.equal(texts.length, 3, texts.join('\n'));
    assert.match(texts[0]!, /^0 of 3 stopped; stopping node-1 \(a master waits for its replicas to catch up\)\.$/);
    assert.match(texts[1]!, /^1 of 3 stopped; stopping node-\d, node-\d\.$/);
    assert.equal(texts[2], 'All 3 nodes stopped.');
  });
});

// An external Debian redis-server as a user attaches it in browser mode (Chromium): a wrong address
// is refused with the reason and adds nothing; attached with its password it is listed as external,
// with no Start/Stop/Restart/Crash and Detach instead of Remove; a lab replica is moved onto it with
// "Replicate from…", gets its data, and is promoted back; Detach leaves the server running.
// Run after `npm run build`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { waitUntil, type BrowserModeLab } from '../support/browser.js';
import { openLab } from '../support/lab-page.js';
import { freePort, redisCli, startServer, type RunningServer } from '../support/servers.js';

const PASSWORD = 'ui-ext-pw';

describe('an external Redis server in the lab UI', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let redis: RunningServer | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  const row = (label: string): Locator =>
    page
      .getByRole('table', { name: /^Nodes of the lab/ })
      .getByRole('row')
      .filter({ has: page.getByRole('button', { name: `Details and log of ${label}` }) });

  async function attach(port: number, password: string): Promise<void> {
    await page.getByRole('button', { name: 'Attach Redis…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Attach an external Redis server' });
    await dialog.getByLabel('Host of the external server').fill('127.0.0.1');
    await dialog.getByLabel('Port of the external server').fill(String(port));
    await dialog.getByLabel('Password (optional)').fill(password);
    await dialog.getByRole('button', { name: 'Attach' }).click();
  }

  before(async () => {
    redis = await startServer('redis', ['--requirepass', PASSWORD]);
    ({ lab, browser, page } = await openLab({ viewport: { width: 1440, height: 900 }, pageErrors, load: false }));
  });

  after(async () => {
    await browser?.close();
    await lab?.stop();
    await redis?.stop();
  });

  it('refuses an address that does not answer, saying why, and adds nothing', async () => {
    await page.goto(lab!.url);
    await waitUntil('three nodes are running', async () => (await page.getByRole('button', { name: /^Stop node / }).count()) === 3);
    const closed = await freePort();
    await attach(closed, '');
    await page
      .getByText(new RegExp(`could not attach 127\\.0\\.0\\.1:${closed}: could not reach .*ECONNREFUSED`))
      .first()
      .waitFor();
    await page.getByRole('dialog', { name: 'Attach an external Redis server' }).getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.getByRole('button', { name: /^Details and log of / }).count(), 3);
  });

  it('attaches it with its password: external, no power controls, Detach instead of Remove', async () => {
    await attach(redis!.port, PASSWORD);
    const label = `127.0.0.1:${redis!.port} (port ${redis!.port})`;
    await row(label).waitFor();
    assert.match(await row(label).innerText(), /external 127\.0\.0\.1/);
    for (const name of [`Stop node ${label}`, `Start node ${label}`, `Restart node ${label}`, `Crash node ${label}`]) {
      assert.equal(await page.getByRole('button', { name }).count(), 0, `${name} is absent`);
    }
    assert.equal(await page.getByRole('button', { name: `Detach node ${label}` }).count(), 1);
    assert.ok(!(await page.content()).includes(PASSWORD), 'the password is not on the page');
  });

  it('a lab replica replicates from it, gets its data, and is promoted', async () => {
    const label = `127.0.0.1:${redis!.port} (port ${redis!.port})`;
    assert.equal(redisCli(redis!.port, ['--no-auth-warning', '-a', PASSWORD, 'SET', 'ext:key', 'from debian']), 'OK');
    const replicaButton = page.getByRole('button', { name: /^Stop node / }).nth(1);
    const replicaLabel = ((await replicaButton.getAttribute('aria-label')) ?? '').replace(/^Stop node /, '');
    const replicaPort = Number(/\(port (\d+)\)$/.exec(replicaLabel)![1]);
    await page.getByRole('combobox', { name: `Replicate ${replicaLabel} from` }).selectOption({ label });
    await waitUntil('the replica has the external data', () => redisCli(replicaPort, ['GET', 'ext:key']) === 'from debian');
    await waitUntil('its row names the external master, link up', async () =>
      (await row(replicaLabel).innerText()).includes(`replica of 127.0.0.1:${redis!.port} link up`),
    );
    await page.getByRole('button', { name: `Promote ${replicaLabel} to master` }).click();
    await waitUntil('promoted', () => /^role:master\r?$/m.test(redisCli(replicaPort, ['INFO', 'replication'])));
  });

  it('a warning shows next to a node while its cause lasts (a writable replica)', async () => {
    const replicaButton = page.getByRole('button', { name: /^Stop node / }).nth(2);
    const replicaLabel = ((await replicaButton.getAttribute('aria-label')) ?? '').replace(/^Stop node /, '');
    const replicaPort = Number(/\(port (\d+)\)$/.exec(replicaLabel)![1]);
    const name = replicaLabel.replace(/ \(port \d+\)$/, '');
    const list = page.getByRole('list', { name: `Warnings about ${name}` });
    redisCli(replicaPort, ['CONFIG', 'SET', 'replica-read-only', 'no']);
    await list.waitFor();
    assert.match(await list.innerText(), /Writable replica \(replica-read-only no\)/);
    redisCli(replicaPort, ['CONFIG', 'SET', 'replica-read-only', 'yes']);
    await list.waitFor({ state: 'detached' });
  });

  it('Detach forgets it and leaves the server running', async () => {
    const label = `127.0.0.1:${redis!.port} (port ${redis!.port})`;
    await page.getByRole('button', { name: `Detach node ${label}` }).click();
    await page
      .getByRole('dialog', { name: `Detach ${label}?` })
      .getByRole('button', { name: 'Detach node' })
      .click();
    await row(label).waitFor({ state: 'detached' });
    assert.equal(redisCli(redis!.port, ['--no-auth-warning', '-a', PASSWORD, 'PING']), 'PONG');
    assert.deepEqual(pageErrors, []);
  });
});

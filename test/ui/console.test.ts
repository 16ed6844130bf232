// The node console in Chromium, against browser mode's real nodes: each line typed into the console
// must print exactly what Debian's redis-cli (--no-raw: its tty format) prints for the same line on
// the same node. Then quoting, history recall with the arrow keys, a BLPOP 0 cancelled (the node
// drops that client), SUBSCRIBE receiving a PUBLISH sent with redis-cli until Stop, MONITOR showing
// a command, and AUTH applying to the console's own connection. Run after `npm run build`. With
// UPDATE_SCREENSHOT=1 it also replaces docs/console.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { screenshotDetails, waitUntil, type BrowserModeLab } from '../support/browser.js';
import { type ShownNode, openLab } from '../support/lab-page.js';
import { redisCli, ROOT } from '../support/servers.js';

/** What redis-cli prints for these lines typed at its prompt (read from stdin), in its tty format. */
function cliPrints(port: number, ...lines: string[]): string {
  return redisCli(port, ['--no-raw'], lines.join('\n') + '\n');
}

class ConsoleDriver {
  constructor(
    private readonly page: Page,
    private readonly node: ShownNode,
  ) {}

  get input(): Locator {
    return this.page.getByRole('textbox', { name: `Command for ${this.node.label}` });
  }

  get output(): Locator {
    return this.page.getByRole('log', { name: new RegExp(`^Console output of ${this.node.label.replace(/[()]/g, '\\$&')}`) });
  }

  async open(): Promise<void> {
    await this.page.getByRole('button', { name: `Details and log of ${this.node.label}` }).click();
    await this.page.getByRole('tab', { name: 'Console' }).click();
    await this.input.waitFor();
  }

  async text(): Promise<string> {
    return (await this.output.innerText()).replace(/\n$/, '');
  }

  /** Types a line, presses Enter, and returns what the console printed after echoing it. */
  async run(line: string): Promise<string> {
    const before = await this.text();
    await this.input.fill(line);
    await this.input.press('Enter');
    const runButton = this.page.getByRole('button', { name: `Run the command on ${this.node.label}` });
    await waitUntil(`"${line}" has run`, async () => (await runButton.count()) === 1 && (await this.text()) !== before);
    const after = await this.text();
    const echo = `127.0.0.1:${this.node.port}> ${line}\n`;
    const start = after.lastIndexOf(echo);
    assert.notEqual(start, -1, `the console echoes ${JSON.stringify(line)}:\n${after}`);
    return after.slice(start + echo.length);
  }

  /** Types a line that keeps the console busy (BLPOP 0, SUBSCRIBE); resolves once it is waiting or streaming. */
  async start(line: string, button: 'Cancel the running command' | 'Stop streaming'): Promise<Locator> {
    await this.input.fill(line);
    await this.input.press('Enter');
    const stop = this.page.getByRole('button', { name: `${button} on ${this.node.label}` });
    await stop.waitFor({ timeout: 10000 });
    return stop;
  }
}

function clientList(port: number): string {
  return redisCli(port, ['CLIENT', 'LIST']);
}

describe('the node console', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let master: ShownNode;
  let replica: ShownNode;
  let console_: ConsoleDriver;

  before(async () => {
    let nodes: ShownNode[];
    ({ lab, browser, page, nodes } = await openLab({ viewport: { width: 1024, height: 700 }, pageErrors }));
    [master, replica] = nodes;
    console_ = new ConsoleDriver(page, master!);
    await console_.open();
  });

  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  it('prints each reply exactly as redis-cli prints it', async () => {
    const { port } = master;
    assert.equal(await console_.run('SET "a b" \'x y\''), 'OK');
    assert.equal(await console_.run('SET esc "A\\x00\\n\\xff\\"\\\\ é"'), 'OK');
    assert.equal(await console_.run('RPUSH list 1 2 3 4 5 6 7 8 9 10 11'), '(integer) 11');
    assert.equal(await console_.run('HSET h f1 v1 f2 "x y"'), '(integer) 2');
    const lines = [
      'GET "a b"',
      'GET esc',
      'GET \\x61',
      'EXISTS esc',
      'GET missing',
      'LRANGE nothing 0 -1',
      'LRANGE list 0 -1',
      'COMMAND INFO get',
      'BOGUS x',
      'GET',
      'HGETALL h',
    ];
    for (const line of lines) assert.equal(await console_.run(line), cliPrints(port, line), line);
    // Sanity: the shapes the comparison is about did occur.
    assert.equal(await console_.run('GET esc'), '"A\\x00\\n\\xff\\"\\\\ \\xc3\\xa9"');
    assert.match(await console_.run('LRANGE list 0 -1'), /^ 1\) "1"\n 2\) "2"\n[^]*\n11\) "11"$/);
    assert.match(await console_.run('COMMAND INFO get'), /^1\) {2}1\) "get"\n {4}2\) \(integer\) 2\n {4}3\) 1\) readonly\n {7}2\) fast/);
    assert.match(await console_.run('BOGUS x'), /^\(error\) ERR unknown command 'BOGUS'/);
  });

  it('prints a RESP3 map after HELLO 3 as redis-cli does', async () => {
    const hello = await console_.run('HELLO 3');
    assert.match(hello, /^1# "server" => "redis"\n/);
    const map = await console_.run('HGETALL h');
    assert.equal(map, '1# "f1" => "v1"\n2# "f2" => "x y"');
    // redis-cli after HELLO 3 on its own connection: the same map after its own HELLO reply.
    assert.ok(cliPrints(master.port, 'HELLO 3', 'HGETALL h').endsWith('\n' + map));
    assert.equal(await console_.run('SMEMBERS nothing'), cliPrints(master.port, 'HELLO 3', 'SMEMBERS nothing').split('\n').pop());
    await console_.run('HELLO 2');
  });

  it("refuses an unbalanced line with redis-cli's words", async () => {
    assert.equal(await console_.run('GET "unbalanced'), 'Invalid argument(s)');
    assert.equal(cliPrints(master.port, 'GET "unbalanced'), 'Invalid argument(s)');
  });

  it('recalls earlier lines with the arrow keys', async () => {
    await console_.run('ECHO first');
    await console_.run('ECHO second');
    await console_.input.fill('ECHO draft');
    await console_.input.press('ArrowUp');
    assert.equal(await console_.input.inputValue(), 'ECHO second');
    await console_.input.press('ArrowUp');
    assert.equal(await console_.input.inputValue(), 'ECHO first');
    await console_.input.press('ArrowDown');
    await console_.input.press('ArrowDown');
    assert.equal(await console_.input.inputValue(), 'ECHO draft');
    await console_.input.press('ArrowUp');
    await console_.input.press('Enter');
    await waitUntil('the recalled line ran', async () => (await console_.text()).endsWith('"second"'));
  });

  it('cancels a BLPOP 0, and the node no longer has that client', async () => {
    const cancel = await console_.start('BLPOP nolist 0', 'Cancel the running command');
    await waitUntil('the node shows a client blocked in BLPOP', () => /cmd=blpop/.test(clientList(master.port)));
    await cancel.click();
    await page.getByRole('button', { name: `Run the command on ${master.label}` }).waitFor();
    await waitUntil('the blocked client is gone', () => !/cmd=blpop/.test(clientList(master.port)));
    // A fresh connection serves the next line.
    assert.equal(await console_.run('PING'), 'PONG');
  });

  it('streams SUBSCRIBE messages published with redis-cli until Stop', async () => {
    const stop = await console_.start('SUBSCRIBE news', 'Stop streaming');
    await waitUntil('the subscription is confirmed', async () =>
      (await console_.text()).endsWith('1) "subscribe"\n2) "news"\n3) (integer) 1'),
    );
    assert.ok((await console_.text()).includes('Reading messages... (press Ctrl-C to quit)'));
    assert.equal(redisCli(master.port, ['PUBLISH', 'news', 'hello there']), '1');
    await waitUntil('the message is printed', async () => (await console_.text()).endsWith('1) "message"\n2) "news"\n3) "hello there"'));
    await stop.click();
    await page.getByRole('button', { name: `Run the command on ${master.label}` }).waitFor();
    await waitUntil('nobody is subscribed any more', () => redisCli(master.port, ['PUBSUB', 'NUMSUB', 'news']) === 'news\n0');
  });

  it('shows a command in MONITOR', async () => {
    const stop = await console_.start('MONITOR', 'Stop streaming');
    await waitUntil('MONITOR answered OK', async () => (await console_.text()).endsWith('MONITOR\nOK'));
    redisCli(master.port, ['SET', 'watched', 'value 1']);
    await waitUntil('the SET is shown', async () => /\] "SET" "watched" "value 1"$/.test(await console_.text()));
    await stop.click();
    await page.getByRole('button', { name: `Run the command on ${master.label}` }).waitFor();
  });

  it('makes a picture of a short session', async () => {
    await page.getByRole('button', { name: `Clear the console of ${master.label}` }).click();
    await console_.run('SET greeting "hello world"');
    await console_.run('GET greeting');
    await console_.run('HGETALL h');
    await console_.run('LRANGE list 0 2');
    await console_.run('GET "unbalanced');
    const stop = await console_.start('SUBSCRIBE news', 'Stop streaming');
    await waitUntil('subscribed', async () => (await console_.text()).endsWith('3) (integer) 1'));
    redisCli(master.port, ['PUBLISH', 'news', 'replica-2 is back']);
    await waitUntil('the message is printed', async () => (await console_.text()).endsWith('3) "replica-2 is back"'));
    const shot = process.env.UPDATE_SCREENSHOT === '1' ? join(ROOT, 'docs', 'console.png') : join(ROOT, 'test-results', 'console.png');
    await screenshotDetails(page, shot);
    await stop.click();
    await page.getByRole('button', { name: `Run the command on ${master.label}` }).waitFor();
  });

  it('applies AUTH: NOAUTH until the console authenticates', async () => {
    await waitUntil("the replica has the master's key", () => redisCli(replica.port, ['GET', 'a b']) === 'x y', 60000);
    assert.equal(redisCli(replica.port, ['CONFIG', 'SET', 'requirepass', 's3cret']), 'OK');
    try {
      const onReplica = new ConsoleDriver(page, replica);
      await onReplica.open();
      const refused = await onReplica.run('GET greeting');
      assert.equal(refused, '(error) NOAUTH Authentication required.');
      assert.equal(refused, cliPrints(replica.port, 'GET greeting'));
      assert.equal(await onReplica.run('AUTH wrong'), cliPrints(replica.port, 'AUTH wrong'));
      assert.equal(await onReplica.run('AUTH s3cret'), 'OK');
      assert.equal(await onReplica.run('GET "a b"'), '"x y"');
    } finally {
      redisCli(replica.port, ['-a', 's3cret', '--no-auth-warning', 'CONFIG', 'SET', 'requirepass', '']);
    }
    assert.deepEqual(pageErrors, []);
  });
});

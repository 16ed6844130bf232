// The method whitelist both transports enforce. The compiler already holds it to exactly LabApi's
// methods (src-main/api/index.ts); this checks what ships at run time: the list is the union of the
// API slices' methods, each once, and nothing that merely looks like a method gets through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLabMethod, LAB_METHODS } from '../../../src-main/api/index.js';
import { ACCESS_PARAM_CHECKS } from '../../../src-main/api/access.js';
import { BACKLOG_PARAM_CHECKS } from '../../../src-main/api/backlog.js';
import { CONSOLE_PARAM_CHECKS } from '../../../src-main/api/console.js';
import { NODE_PANEL_PARAM_CHECKS } from '../../../src-main/api/node-panel.js';
import { EVENTS_PARAM_CHECKS } from '../../../src-main/api/events.js';
import { EXPORT_PARAM_CHECKS } from '../../../src-main/api/export.js';
import { HISTORY_PARAM_CHECKS } from '../../../src-main/api/history.js';
import { LINKS_PARAM_CHECKS } from '../../../src-main/api/links.js';
import { LOAD_PARAM_CHECKS } from '../../../src-main/api/load.js';
import { LOGS_PARAM_CHECKS } from '../../../src-main/api/logs.js';
import { NODES_PARAM_CHECKS } from '../../../src-main/api/nodes.js';
import { REPLICATION_PARAM_CHECKS } from '../../../src-main/api/replication.js';
import { SETTINGS_PARAM_CHECKS } from '../../../src-main/api/settings.js';
import { SENTINELS_PARAM_CHECKS } from '../../../src-main/api/sentinels.js';
import { STREAM_VIEW_PARAM_CHECKS } from '../../../src-main/api/stream-view.js';

const SLICES = {
  NODES_PARAM_CHECKS,
  REPLICATION_PARAM_CHECKS,
  EVENTS_PARAM_CHECKS,
  LOGS_PARAM_CHECKS,
  ACCESS_PARAM_CHECKS,
  HISTORY_PARAM_CHECKS,
  EXPORT_PARAM_CHECKS,
  LINKS_PARAM_CHECKS,
  LOAD_PARAM_CHECKS,
  CONSOLE_PARAM_CHECKS,
  NODE_PANEL_PARAM_CHECKS,
  BACKLOG_PARAM_CHECKS,
  SETTINGS_PARAM_CHECKS,
  SENTINELS_PARAM_CHECKS,
  STREAM_VIEW_PARAM_CHECKS,
};

test('the whitelist is exactly the methods of the API slices, each once', () => {
  const fromSlices = Object.values(SLICES).flatMap((checks) => Object.keys(checks));
  assert.equal(new Set(fromSlices).size, fromSlices.length, 'no method is declared by two slices');
  assert.deepEqual([...LAB_METHODS].sort(), [...fromSlices].sort());
  assert.equal(new Set(LAB_METHODS).size, LAB_METHODS.length);
});

test('the whitelist is exactly the methods the lab offers', () => {
  const expected = [
    'listNodes',
    'addNode',
    'startNode',
    'stopNode',
    'restartNode',
    'removeNode',
    'linkNode',
    'failover',
    'abortFailover',
    'startWarning',
    'promoteInstead',
    'crashNode',
    'attachNode',
    'listEvents',
    'nodeLog',
    'rotateToken',
    'history',
    'exportLogs',
    'cutLink',
    'restoreLink',
    'stallLink',
    'slowLink',
    'startLoad',
    'stopLoad',
    'listLoads',
    'consoleRun',
    'consoleCancel',
    'nodePanel',
    'nodeClients',
    'backlog',
    'nodeSettings',
    'applyNodeSettings',
    'listSentinels',
    'addSentinel',
    'startSentinel',
    'stopSentinel',
    'restartSentinel',
    'crashSentinel',
    'removeSentinel',
    'sentinelFailoverDemo',
    'streamWatch',
    'streamUnwatch',
  ];
  assert.deepEqual([...LAB_METHODS].sort(), expected.sort());
});

test('isLabMethod accepts only whitelisted names', () => {
  for (const method of LAB_METHODS) assert.equal(isLabMethod(method), true, method);
  // `access` is LabHost's token service, for browser mode's server only: never callable over a transport.
  for (const name of [
    'close',
    'onPush',
    'access',
    'constructor',
    'toString',
    '__proto__',
    'hasOwnProperty',
    '',
    'listnodes',
    null,
    1,
    {},
  ]) {
    assert.equal(isLabMethod(name), false, String(name));
  }
});

test('attachNode checks its address before the host sees it', () => {
  const check = NODES_PARAM_CHECKS.attachNode;
  assert.deepEqual(check([{ host: ' db.example ', port: 6380, user: '', password: '' }]), [{ host: 'db.example', port: 6380 }]);
  assert.throws(() => check([{ host: 'a b', port: 6379 }]), /a host must be a host name or IP address/);
  assert.throws(() => check([{ host: 'h', port: 70000 }]), /a port must be an integer from 1 to 65535/);
  assert.throws(() => check([{ host: 'h', port: 1, user: 'u' }]), /a user needs a password/);
  assert.throws(() => check([]), /attachNode needs \{ host, port \}/);
});

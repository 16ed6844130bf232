// The settings the lab offers are all changeable at run time (CONFIG SET), which is why the
// Settings panel never needs to restart a node (host/settings/node-settings.ts): if a directive
// became start-only, this fails and the panel needs a restart path for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NODE_SETTING_NAMES } from '../../../src-main/api/index.js';
import { findDirective } from '../../../src-main/engine/config/directives.js';

test('every setting offered is a known directive that CONFIG SET may change', () => {
  for (const name of NODE_SETTING_NAMES) {
    const directive = findDirective(name);
    assert.ok(directive, `${name} is a directive`);
    assert.equal(directive.mutable, true, `${name} is mutable`);
  }
});

#!/usr/bin/env node
// The `replica-lab-sentinel` command: `replica-lab-sentinel sentinel.conf [--directive value ...]`,
// like redis-sentinel, which is redis-server in sentinel mode. It is replica-lab-server with
// `--sentinel` (same bundle, same start-up: see replica-lab-server.cjs).
process.argv.push('--sentinel');
require('./replica-lab-server.cjs');

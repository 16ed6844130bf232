#!/usr/bin/env node
// The `replica-lab-server` command. npm links this file into node_modules/.bin (the engine is a
// workspace package; npm never links a root package's own bins). It runs the bundle that
// `npm install` builds (the root package's `prepare` script), so start-up costs no TypeScript compile.
//
// CommonJS on purpose: this file runs before anything reads a file asynchronously, so the only
// threads besides the event loop are the ones V8 and Node start for themselves (garbage collection,
// compilation, the delayed-task timer), not yet libuv's file-system workers. That is the moment to
// put them below the event loop in CPU priority (nice 19), as lowerHelperThreads does.
//
// Why: a lab runs several nodes, often on a laptop with two cores. V8's helper threads run the
// parallel and concurrent parts of GC; on two cores one node's GC helpers took the core another
// node's event loop was about to run on, for 1-4 ms at a time (seen with `perf sched`), and that
// was most of the replication lag's tail once GC pauses were shortened (docs/benchmarks.md). At
// nice 19 they still get every idle cycle, but an event loop with work preempts them. Linux only
// (threads are listed in /proc/self/task, and setpriority on a thread id changes that thread
// alone there); elsewhere nothing changes. An unprivileged process may always lower its own
// threads' priority.
const { existsSync, readdirSync, realpathSync } = require('node:fs');
const { setPriority } = require('node:os');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');

function lowerHelperThreads() {
  if (process.platform !== 'linux' || process.env.REPLICA_LAB_HELPER_NICE === '0') return;
  let threads;
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const tid of threads) {
    if (Number(tid) === process.pid) continue;
    try {
      setPriority(Number(tid), 19);
    } catch {
      // Not permitted here (some sandboxes): the thread keeps its priority.
    }
  }
}

lowerHelperThreads();
const root = join(dirname(realpathSync(__filename)), '..', '..', '..');
const cli = join(root, 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  console.error(`replica-lab-server: ${cli} is missing; run "npm run build" in ${root} first.`);
  process.exit(1);
}
import(pathToFileURL(cli).href);

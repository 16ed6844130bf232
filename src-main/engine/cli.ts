// The `replica-lab-server` command: `replica-lab-server [/path/to/redis.conf] [--directive value ...]`,
// like redis-server. Logs go to stdout when `logfile` is "" (the default), exactly as redis-server.
// `--sentinel` anywhere (or the `replica-lab-sentinel` command, which adds it) runs a Sentinel
// instead: `replica-lab-server sentinel.conf --sentinel`, like `redis-server --sentinel`.
import { startNode, startSentinel, ConfigError, ShutdownInsisted } from './index.js';
import { ENGINE_NAME, REDIS_VERSION } from './util/version.js';

const args = process.argv.slice(2);
const sentinelMode = args.includes('--sentinel');
const argv = args.filter((a) => a !== '--sentinel');

if (argv[0] === '-v' || argv[0] === '--version') {
  console.log(`${ENGINE_NAME} v=${REDIS_VERSION} (Redis-compatible) node=${process.version} bits=64`);
  process.exit(0);
}
if (argv[0] === '-h' || argv[0] === '--help') {
  console.log(
    [
      `Usage: ${ENGINE_NAME} [/path/to/redis.conf] [options]`,
      `       ${ENGINE_NAME} -v or --version`,
      `       ${ENGINE_NAME} -h or --help`,
      '',
      'Examples:',
      `       ${ENGINE_NAME} (run the server with default conf)`,
      `       ${ENGINE_NAME} /etc/redis/6379.conf`,
      `       ${ENGINE_NAME} --port 7777`,
      `       ${ENGINE_NAME} --port 7777 --replicaof 127.0.0.1 8888`,
      `       ${ENGINE_NAME} /etc/myredis.conf --loglevel verbose`,
    ].join('\n'),
  );
  process.exit(0);
}

// A node that crashed on purpose (DEBUG SEGFAULT, PANIC, ASSERT, OOM) reports the status of a
// process killed by that signal; the process then dies by the signal itself, as redis-server does,
// so a supervisor sees the same end.
const CRASH_SIGNALS: Record<number, NodeJS.Signals> = { 134: 'SIGABRT', 139: 'SIGSEGV' };

function onExit(code: number): void {
  const signal = CRASH_SIGNALS[code];
  if (signal) process.kill(process.pid, signal);
  process.exit(code);
}

// Loopback only unless the config file or the command line says otherwise: the `bind` Redis ships
// in its redis.conf, where redis-server's built-in default (no config file) is every interface.
// A Sentinel, which turns protected mode off, would otherwise listen openly on every interface.
const defaults: [string, string[]][] = [['bind', ['127.0.0.1', '-::1']]];
const starting: Promise<{ shutdown(options?: { signal?: 'SIGTERM' | 'SIGINT' }): Promise<void> }> = sentinelMode
  ? startSentinel({ argv, defaults, logToStdout: true, onExit })
  : startNode({ argv, defaults, logToStdout: true, onExit });

// Handlers go in before startup completes: a signal right after "Ready to accept connections"
// must still get a clean shutdown, not Node's default termination.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    void starting
      .then((node) => node.shutdown({ signal }))
      .then(
        () => process.exit(0),
        // A second Ctrl+C exits at once; otherwise the shutdown was cancelled (SHUTDOWN ABORT, the
        // final save failed): like redis-server, the node logs it and keeps running.
        (err) => {
          if (err instanceof ShutdownInsisted) process.exit(1);
        },
      );
  });
}

try {
  await starting;
} catch (err) {
  if (err instanceof ConfigError) process.stderr.write(err.report);
  process.exit(1);
}

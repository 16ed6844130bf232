// The programs the suite, the benchmarks and the soak runs need beside our own code: Debian's Redis
// 7.0 (our reference peer: redis-server, redis-cli, redis-sentinel, redis-benchmark,
// redis-check-rdb/aof) and Debian's Chromium (the UI tests; Playwright cannot download its own
// browser here). `npm test`, `npm run bench` and `npm run soak` call ensurePeers() before anything
// else, so a fresh machine gets one clear line instead of hundreds of failures that do not say why:
//   - everything present: one line naming what the run compares against;
//   - something missing, on a machine that can install it (root with apt-get): it installs the
//     Debian packages and says so in one line;
//   - otherwise: it stops, naming the missing programs and the exact command that installs them.
// A Redis that is not 7.0.x is reported (its replies may differ from 7.0's), and the run goes on.
//
//   node test/support/peers.mjs [test|bench|soak]     # the check alone
//   REPLICA_LAB_NO_INSTALL=1 npm test                 # report what is missing, never install
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The version of Redis whose behaviour the engine reproduces. */
export const REDIS_SERIES = '7.0';

/** Each program, the Debian package that provides it, and which runs need it. */
const PEERS = [
  { program: 'redis-server', pkg: 'redis-server', for: ['test', 'bench', 'soak'] },
  { program: 'redis-cli', pkg: 'redis-tools', for: ['test', 'bench', 'soak'] },
  { program: 'redis-benchmark', pkg: 'redis-tools', for: ['test', 'bench', 'soak'] },
  { program: 'redis-check-rdb', pkg: 'redis-tools', for: ['test', 'soak'] },
  { program: 'redis-check-aof', pkg: 'redis-tools', for: ['test', 'soak'] },
  { program: 'redis-sentinel', pkg: 'redis-sentinel', for: ['test', 'soak'] },
  // test/support/browser.ts launches this path.
  { program: '/usr/bin/chromium', pkg: 'chromium', for: ['test'] },
];

/** The absolute path of `program` on PATH (or itself when absolute and present), or null. */
function which(program) {
  if (program.startsWith('/')) return existsSync(program) ? program : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, program);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/** The x.y.z a Redis program prints for --version ("Redis server v=7.0.15 ...", "redis-cli 7.0.15"), or null. */
export function redisVersionOf(program) {
  const r = spawnSync(program, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return /(?:v=|redis-cli )(\d+\.\d+\.\d+)/.exec(r.stdout ?? '')?.[1] ?? null;
}

function missingPeers(purpose) {
  return PEERS.filter((p) => p.for.includes(purpose) && which(p.program) === null);
}

/** Root with apt-get may install; REPLICA_LAB_NO_INSTALL=1 asks for the report only. */
function canInstall() {
  if (process.env.REPLICA_LAB_NO_INSTALL === '1') return false;
  return process.platform === 'linux' && process.getuid?.() === 0 && which('apt-get') !== null;
}

const packagesOf = (peers) => [...new Set(peers.map((p) => p.pkg))];
const namesOf = (peers) => peers.map((p) => p.program.replace(/^.*\//, '')).join(', ');

function aptGet(args) {
  const r = spawnSync('apt-get', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`);
}

/**
 * Makes sure the peers `purpose` needs are there, installing them where this machine can.
 * Returns what the run compares against, or throws PeersMissing with the message for people.
 */
export function ensurePeers(purpose = 'test') {
  let missing = missingPeers(purpose);
  if (missing.length !== 0) {
    const packages = packagesOf(missing);
    if (!canInstall()) throw new PeersMissing(missing, packages);
    console.log(`peers: installing Debian's ${packages.join(' ')} with apt-get (missing: ${namesOf(missing)})`);
    aptGet(['update', '-qq']);
    aptGet(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
    // The package's maintainer script may start a system redis-server on 6379, the lab's first port.
    if (packages.includes('redis-server')) spawnSync('service', ['redis-server', 'stop'], { stdio: 'ignore' });
    missing = missingPeers(purpose);
    if (missing.length !== 0) throw new PeersMissing(missing, packagesOf(missing));
  }
  const server = redisVersionOf('redis-server');
  const cli = redisVersionOf('redis-cli');
  const notes = [];
  for (const [name, version] of [
    ['redis-server', server],
    ['redis-cli', cli],
  ]) {
    if (!version?.startsWith(`${REDIS_SERIES}.`)) {
      notes.push(
        `${name} is ${version ?? 'of an unknown version'}, not ${REDIS_SERIES}.x: the differential tests compare against it, and its replies may differ from Redis ${REDIS_SERIES}'s`,
      );
    }
  }
  const present = PEERS.filter((p) => p.for.includes(purpose)).map((p) => p.program.replace(/^.*\//, ''));
  console.log(`peers: comparing against redis-server ${server} (redis-cli ${cli}); found ${present.join(', ')}`);
  for (const note of notes) console.log(`peers: warning: ${note}`);
  return { redisServerVersion: server, redisCliVersion: cli };
}

export class PeersMissing extends Error {
  constructor(missing, packages) {
    super(
      `peers: missing ${namesOf(missing)}; nothing was run. Install Debian's packages with:\n` +
        `  sudo apt-get install -y ${packages.join(' ')}\n` +
        `(as root, npm test installs them itself)`,
    );
  }
}

// Run alone: check (and install where possible), exit 1 with the message when something is missing.
if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensurePeers(process.argv[2] ?? 'test');
  } catch (error) {
    console.error(error instanceof PeersMissing ? error.message : error);
    process.exit(1);
  }
}

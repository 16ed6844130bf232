// One archive (tar.gz) of a lab for a time range, for bug reports and post-mortems: what happened
// (events), what the nodes' INFO said (samples), each node's whole log and redis.conf, and on
// request their data files. It reads lab.db through a connection of its own and the node files
// from disk, so it works the same for a running lab (the host's export action) and a stopped one
// (`replica-lab export`).
//
// It never holds the lab up: rows are read in slices with a yield to the event loop between them
// and written through streams that respect back-pressure, so the host keeps recording and pushing
// while a big export runs. The archive is written to a temporary file beside the destination and
// renamed into place only when complete; on any error (a full disk, a file that vanished) both the
// temporary file and the staging directory are removed and the error says what failed.
import Database from 'better-sqlite3';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack as tarPack, type Pack } from 'tar-stream';
import { labVersion } from './lab-version.js';
import { ARCHIVE_README } from './archive-readme.js';
import { logPartsInOrder } from '../nodes/log-rotation.js';
import { TIERS } from '../store/history-store.js';

export interface ExportOptions {
  /** The lab's data directory (lab.db and nodes/). */
  dataDir: string;
  /** The archive to write (.tar.gz). */
  out: string;
  /** ms since the epoch; default: the beginning. */
  since?: number;
  /** ms since the epoch; default: now. */
  until?: number;
  /** Also the nodes' RDB and AOF files. */
  includeData?: boolean;
}

export interface ExportResult {
  file: string;
  bytes: number;
  since: number;
  until: number;
  counts: Record<string, number>;
}

/** Rows read between two yields to the event loop: about 5 ms of JSON and CSV on a slow machine. */
const SLICE = 500;

/** History tiers from the oldest rows (the coarsest buckets) to the newest (tier 0, 1 s). */
const TIERS_OLDEST_FIRST = [...TIERS.map((t) => t.tier)].reverse().concat(0);

interface SentinelRow {
  id: number;
  name: string;
  port: number;
  master_id: number;
  quorum: number;
}

interface StoredNodeRow {
  id: number;
  name: string;
  port: number;
  directives: string;
  created_at: number;
  should_run: number;
  replica_of: number | null;
  /** Since schema 7; absent in an older lab.db. The password column is never exported. */
  external_host?: string | null;
  external_user?: string | null;
}

export async function writeLabArchive(options: ExportOptions): Promise<ExportResult> {
  const since = options.since ?? 0;
  const until = options.until ?? Date.now();
  if (!(until > since)) throw new Error('the time range is empty: "until" must come after "since"');
  const dbFile = join(options.dataDir, 'lab.db');
  if (!existsSync(dbFile)) throw new Error(`${options.dataDir} holds no lab (no lab.db)`);
  const outDir = dirname(options.out);
  const stage = await mkdtemp(join(outDir, `.${basename(options.out)}.staging-`)).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot write in ${outDir}: ${error.message}`);
  });
  const partial = join(outDir, `.${basename(options.out)}.partial-${process.pid}`);
  // Its own connection: the host's may be writing; WAL lets this one read a consistent snapshot.
  const db = new Database(dbFile, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  // The node files, opened when listed: a log rotating meanwhile renames node.log.1 to node.log.2,
  // but an open file stays the one listed, so each part is archived under the name it had.
  const entries: PinnedFile[] = [];
  try {
    const counts: Record<string, number> = {};
    const nodes = db.prepare('SELECT * FROM nodes ORDER BY id').all() as StoredNodeRow[];
    const hasHistory = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'node_samples'").get() !== undefined;

    // 1. Stage the generated files, streamed from lab.db.
    counts.events = await dumpRows(db, stage, 'events', 'SELECT * FROM events WHERE time >= ? AND time < ? ORDER BY id', [[since, until]]);
    if (hasHistory) {
      // Tier by tier, oldest tier first, which is chronological (downsampling moves whole aligned
      // buckets up a tier), and in the order of the (tier, time) index: a single ORDER BY time
      // over every tier would make SQLite sort a day of rows before returning the first one,
      // holding the event loop for as long (about 100 ms for 10 nodes).
      counts.node_samples = await dumpRows(
        db,
        stage,
        'node-samples',
        'SELECT * FROM node_samples WHERE tier = ? AND time >= ? AND time < ? ORDER BY time, node_id',
        TIERS_OLDEST_FIRST.map((tier) => [tier, since, until]),
      );
      counts.replica_samples = await dumpRows(
        db,
        stage,
        'replica-samples',
        'SELECT * FROM replica_samples WHERE tier = ? AND time >= ? AND time < ? ORDER BY time, master_id, replica_port',
        TIERS_OLDEST_FIRST.map((tier) => [tier, since, until]),
      );
      counts.sync_spans = await dumpRows(
        db,
        stage,
        'syncs',
        'SELECT * FROM sync_spans WHERE started_at < ? AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at, id',
        [[until, since]],
      );
    }

    // 2. The archive: generated files from the stage, node files from their directories.
    const nodeFiles: Array<{ id: number; name: string; files: string[] }> = [];
    for (const node of nodes) {
      const dir = join(options.dataDir, 'nodes', String(node.id));
      const files: string[] = [];
      const add = (path: string, as: string): void => {
        const opened = openPinned(path);
        if (!opened) return;
        entries.push({ name: `nodes/${node.id}-${node.name}/${as}`, ...opened });
        files.push(as);
      };
      // The whole log, oldest part first: node.log.N … node.log.1, node.log (log-rotation.ts).
      for (const part of logPartsInOrder(join(dir, 'node.log'))) add(part, basename(part));
      add(join(dir, 'redis.conf'), 'redis.conf');
      if (options.includeData) {
        add(join(dir, 'dump.rdb'), 'dump.rdb');
        const aofDir = join(dir, 'appendonlydir');
        if (existsSync(aofDir)) for (const name of readdirSync(aofDir).sort()) add(join(aofDir, name), `appendonlydir/${name}`);
      }
      nodeFiles.push({ id: node.id, name: node.name, files });
    }
    // The lab's Sentinels (host/sentinels/): each one's log and sentinel.conf, as it rewrote it.
    const hasSentinels = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sentinels'").get() !== undefined;
    const sentinels = hasSentinels
      ? (db.prepare('SELECT id, name, port, master_id, quorum FROM sentinels ORDER BY id').all() as SentinelRow[])
      : [];
    for (const sentinel of sentinels) {
      const dir = join(options.dataDir, 'sentinels', `s${sentinel.id}`);
      for (const name of ['sentinel.log', 'sentinel.conf']) {
        const opened = openPinned(join(dir, name));
        if (opened) entries.push({ name: `sentinels/s${sentinel.id}-${sentinel.name}/${name}`, ...opened });
      }
    }
    const versions = new Map<number, string | null>();
    for (const node of nodes) versions.set(node.id, hasHistory ? lastVersion(db, node.id) : null);
    const links = hasHistory ? await topology(db, nodes) : null;
    const manifest = {
      format: 'replica-lab-export/1',
      exportedAt: new Date().toISOString(),
      lab: { version: labVersion() },
      range: { since, until, sinceIso: new Date(since).toISOString(), untilIso: new Date(until).toISOString() },
      includesDataFiles: options.includeData === true,
      counts,
      nodes: nodes.map((node) => ({
        id: String(node.id),
        name: node.name,
        port: node.port,
        version: versions.get(node.id) ?? null,
        directives: JSON.parse(node.directives) as unknown,
        createdAt: new Date(node.created_at).toISOString(),
        shouldRun: node.should_run === 1,
        external: node.external_host ? { host: node.external_host, user: node.external_user ?? null } : null,
        files: nodeFiles.find((f) => f.id === node.id)!.files,
      })),
      topology: links,
      sentinels: sentinels.map((s) => ({ id: `s${s.id}`, name: s.name, port: s.port, masterId: String(s.master_id), quorum: s.quorum })),
    };
    db.close();

    const generated = ['events', 'node-samples', 'replica-samples', 'syncs']
      .filter((base) => existsSync(join(stage, `${base}.ndjson`)))
      .flatMap((base) => [`${base}.ndjson`, `${base}.csv`]);
    const tar = tarPack();
    const written = pipeline(tar, createGzip(), createWriteStream(partial));
    const packing = (async () => {
      addText(tar, 'README.md', ARCHIVE_README);
      addText(tar, 'manifest.json', JSON.stringify(manifest, null, 2) + '\n');
      for (const name of generated) await addFile(tar, name, join(stage, name));
      for (const entry of entries) await addPinnedFile(tar, entry);
      tar.finalize();
    })();
    // Whichever fails first (a read or the disk) rejects; the other is stopped by destroy().
    await Promise.all([
      packing.catch((error: unknown) => {
        tar.destroy(error as Error);
        throw error;
      }),
      written,
    ]);
    await rename(partial, options.out);
    return { file: options.out, bytes: (await stat(options.out)).size, since, until, counts };
  } catch (error) {
    if (db.open) db.close();
    await rm(partial, { force: true });
    throw new Error(`export failed: ${describe(error)}`);
  } finally {
    for (const entry of entries) closeSync(entry.fd);
    await rm(stage, { recursive: true, force: true });
  }
}

interface PinnedFile {
  name: string;
  fd: number;
  /** The size when opened: a log still being written grows, and a tar entry's size is fixed up front. */
  size: number;
}

/** Opens a file to archive later; undefined if it does not exist. */
function openPinned(path: string): Omit<PinnedFile, 'name'> | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return { fd, size: fstatSync(fd).size };
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOSPC') return `the disk is full (${e.message})`;
  if (e.code === 'EACCES' || e.code === 'EPERM') return `permission denied (${e.message})`;
  if (e.code === 'EEXIST') return `a file is in the way (${e.message})`;
  return e.message ?? String(error);
}

/** Writes the rows of a query, run once per parameter list, as `<base>.ndjson` and `<base>.csv` in `dir`; returns the row count. */
async function dumpRows(db: Database.Database, dir: string, base: string, sql: string, runs: unknown[][]): Promise<number> {
  const ndjson = createWriteStream(join(dir, `${base}.ndjson`));
  const csv = createWriteStream(join(dir, `${base}.csv`));
  const statement = db.prepare(sql);
  csv.write(
    statement
      .columns()
      .map((c) => c.name)
      .join(',') + '\n',
  );
  let rows = 0;
  try {
    for (const params of runs) {
      for (const row of statement.iterate(...params) as IterableIterator<Record<string, unknown>>) {
        const a = ndjson.write(JSON.stringify(row) + '\n');
        const b = csv.write(Object.values(row).map(csvField).join(',') + '\n');
        if (!a) await once(ndjson, 'drain');
        if (!b) await once(csv, 'drain');
        if (++rows % SLICE === 0) await yieldToEventLoop();
      }
    }
  } finally {
    await Promise.all([end(ndjson), end(csv)]);
  }
  return rows;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function end(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function addText(tar: Pack, name: string, text: string): void {
  tar.entry({ name, mtime: new Date() }, text);
}

async function addFile(tar: Pack, name: string, path: string): Promise<void> {
  const bytes = statSync(path).size;
  if (bytes === 0) return addText(tar, name, '');
  await pipeline(createReadStream(path), tar.entry({ name, size: bytes, mtime: new Date() }));
}

async function addPinnedFile(tar: Pack, file: PinnedFile): Promise<void> {
  if (file.size === 0) return addText(tar, file.name, '');
  const entry = tar.entry({ name: file.name, size: file.size, mtime: new Date() });
  // Exactly `size`: what the file held when the export began, even if it grows meanwhile. The
  // descriptor is closed by writeLabArchive, once, whatever happens.
  await pipeline(createReadStream('', { fd: file.fd, autoClose: false, start: 0, end: file.size - 1 }), entry);
}

/** The redis_version the node's INFO reported in its latest run the lab saw. */
function lastVersion(db: Database.Database, nodeId: number): string | null {
  const row = db.prepare('SELECT redis_version FROM node_runs WHERE node_id = ? ORDER BY first_seen DESC LIMIT 1').get(nodeId) as
    { redis_version: string } | undefined;
  return row?.redis_version ?? null;
}

/**
 * Who replicated from whom, as each node's latest sample and its master's latest replica lines say.
 * The latest row is looked for tier by tier, newest tier first, so that each query is an index seek
 * (the tables' keys lead with the node, then the tier), with a yield between nodes.
 */
async function topology(db: Database.Database, nodes: StoredNodeRow[]): Promise<unknown[]> {
  const latest = db.prepare(
    'SELECT role, link_up, master_repl_offset, time FROM node_samples WHERE node_id = ? AND tier = ? ORDER BY time DESC LIMIT 1',
  );
  const latestReplicaTime = db.prepare('SELECT time FROM replica_samples WHERE tier = ? AND master_id = ? ORDER BY time DESC LIMIT 1');
  const replicasAt = db.prepare(
    'SELECT replica_port, replica_id, state, acked_offset FROM replica_samples WHERE tier = ? AND time = ? AND master_id = ? ORDER BY replica_port',
  );
  const newestFirst = [...TIERS_OLDEST_FIRST].reverse();
  const result: unknown[] = [];
  for (const node of nodes) {
    let sample: { role: string; link_up: number | null; master_repl_offset: number; time: number } | undefined;
    for (const tier of newestFirst) {
      sample = latest.get(node.id, tier) as typeof sample;
      if (sample) break;
    }
    let replicas: unknown[] = [];
    if (sample?.role === 'master') {
      for (const tier of newestFirst) {
        const row = latestReplicaTime.get(tier, node.id) as { time: number } | undefined;
        if (row) {
          replicas = replicasAt.all(tier, row.time, node.id);
          break;
        }
      }
    }
    result.push({
      id: String(node.id),
      name: node.name,
      port: node.port,
      linkedTo: node.replica_of === null ? null : String(node.replica_of),
      lastSample: sample
        ? {
            time: new Date(sample.time).toISOString(),
            role: sample.role,
            linkUp: sample.link_up === null ? null : sample.link_up === 1,
            offset: sample.master_repl_offset,
          }
        : null,
      replicas,
    });
    await yieldToEventLoop();
  }
  return result;
}

// Loading the AOF at start (aof.c loadAppendOnlyFiles + loadSingleAppendOnlyFile): the base
// (an RDB preamble, possibly followed by commands, or commands only), then each incr file, the
// commands replayed through the command table by a socket-less client.
//
// Failures stop the node with Redis's log lines and leave the files as they are, except the one
// repair Redis makes itself: with `aof-load-truncated yes`, a last file that ends in the middle
// of a command is cut back to its last complete command.
import { existsSync, renameSync } from 'node:fs';
import { open, stat, truncate, type FileHandle } from 'node:fs/promises';
import type { Server } from '../../core/server.js';
import { Client } from '../../core/client.js';
import { arityMatches } from '../../core/command-table.js';
import { call } from '../../core/executor.js';
import type { BinaryString } from '../../protocol/request-parser.js';
import { strerror } from '../../config/errors.js';
import { AlreadyLogged } from '../../util/logger.js';
import { AofCommandReader, startsWithRdbPreamble } from './aof-commands.js';
import { AofManifestError, type AofFileInfo, type AofManifest } from './aof-manifest.js';
import { CorruptDataError } from '../corrupt-data.js';
import { createRdbLoader } from '../rdb/rdb-load.js';
import type { LoadingProgress } from '../../core/loading-state.js';
import type { RdbAuxFields } from '../value-model.js';
import type { AofDirectory } from './aof-directory.js';

const READ_SIZE = 4 << 20;

/** A failure that stops the node; its lines are already logged (so nothing more is, as in Redis). */
export class AofLoadError extends AlreadyLogged {}

export interface AofLoadResult {
  /** False when there was no AOF at all (the node starts empty). */
  found: boolean;
  manifest: AofManifest | null;
  /** Aux fields of an RDB preamble base. */
  aux: RdbAuxFields | null;
}

export async function loadAppendOnlyFiles(server: Server, directory: AofDirectory): Promise<AofLoadResult> {
  const log = server.logger;
  let manifest: AofManifest | null;
  try {
    manifest = await upgradeLegacyAofIfNeeded(server, directory, directory.readManifest());
  } catch (err) {
    if (err instanceof AofManifestError) {
      // aofLoadManifestFromFile's loaderr, line for line (each message ends in a newline of its
      // own there), then the file's path, which Redis leaves out.
      log.warning('\n*** FATAL AOF MANIFEST FILE ERROR ***\n');
      if (err.lineNumber !== null) {
        log.warning(`Reading the manifest file, at line ${err.lineNumber}\n`);
        log.warning(`>>> '${err.line}'\n`);
      }
      log.warning(`${err.reason}\n`);
      log.warning(`The AOF manifest is ${directory.filePath(directory.manifestName)}`);
      throw new AofLoadError(err.message);
    }
    throw err;
  }
  if (!manifest || (!manifest.base && manifest.incr.length === 0)) return { found: false, manifest, aux: null };

  const files = [...(manifest.base ? [manifest.base] : []), ...manifest.incr];
  let totalBytes = 0;
  for (const file of files) {
    try {
      totalBytes += (await stat(directory.filePath(file.fileName))).size;
    } catch (err) {
      // An AOF named by the manifest but missing on disk is fatal (getAppendOnlyFileSize).
      log.warning(`Unable to obtain the AOF file ${file.fileName} length. stat: ${strerror(err)}`);
      throw new AofLoadError(`missing AOF file ${file.fileName}`);
    }
  }

  const loading = server.loading.begin(totalBytes);
  let aux: RdbAuxFields | null = null;
  try {
    for (const [i, file] of files.entries()) {
      const started = performance.now();
      const loaded = await loadSingleFile(server, directory, file, i === files.length - 1, loading.progress);
      if (loaded.aux) aux = loaded.aux;
      if (loaded.empty) continue;
      const kind = file === manifest.base ? 'base' : 'incr';
      log.notice(`DB loaded from ${kind} file ${file.fileName}: ${((performance.now() - started) / 1000).toFixed(3)} seconds`);
    }
  } finally {
    loading.end();
  }
  return { found: true, manifest, aux };
}

/**
 * loadAppendOnlyFiles' upgrade check: an `appendonly.aof` in `dir` (a Redis < 7 AOF) becomes the
 * base of a multi-part AOF when there is no manifest yet, or when the manifest names it as its
 * only file and it is not in the AOF directory yet (an upgrade interrupted between writing the
 * manifest and moving the file). aofUpgradePrepare writes the manifest first, then moves the file.
 */
async function upgradeLegacyAofIfNeeded(
  server: Server,
  directory: AofDirectory,
  manifest: AofManifest | null,
): Promise<AofManifest | null> {
  const legacy = directory.legacyFilePath;
  if (!existsSync(legacy)) return manifest;
  const name = directory.prefix;
  const target = directory.filePath(name);
  const interrupted = manifest?.base?.fileName === name && manifest.incr.length === 0 && !existsSync(target);
  if (manifest && (manifest.base || manifest.incr.length > 0) && !interrupted) return manifest;
  if (existsSync(target)) {
    // Redis asserts here (aof.c: '!aofFileExist(server.aof_filename)') and crashes; moving the old
    // file in would overwrite the one already there, so the node refuses to start instead.
    server.logger.warning(
      `Can't migrate the old-style AOF file ${legacy} into the AOF directory: ${target} already exists. ` +
        'Move one of the two away, then start again.',
    );
    throw new AofLoadError('both the server directory and the AOF directory hold an old-style AOF');
  }
  const upgraded: AofManifest = { base: { fileName: name, seq: 1, type: 'b' }, history: [], incr: [] };
  directory.writeManifest(upgraded);
  renameSync(legacy, target);
  server.logger.notice(`Successfully migrated an old-style AOF file (${name}) into the AOF directory (${directory.dirName}).`);
  return upgraded;
}

async function loadSingleFile(
  server: Server,
  directory: AofDirectory,
  file: AofFileInfo,
  isLast: boolean,
  progress: LoadingProgress,
): Promise<{ empty: boolean; aux: RdbAuxFields | null }> {
  const log = server.logger;
  const path = directory.filePath(file.fileName);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    log.warning(`Fatal error: can't open the append log file ${file.fileName} for reading: ${strerror(err)}`);
    throw new AofLoadError(`cannot open ${file.fileName}`);
  }
  const replay = new CommandReplay(server, file.fileName);
  let reader: AofCommandReader | null = null;
  let rdb: ReturnType<typeof createRdbLoader> | null = null;
  let aux: RdbAuxFields | null = null;
  let size = 0;
  try {
    for (let position = 0; ;) {
      const chunk = Buffer.allocUnsafe(READ_SIZE);
      const { bytesRead } = await handle.read(chunk, 0, READ_SIZE, position);
      if (bytesRead === 0) break;
      const data = chunk.subarray(0, bytesRead);
      if (position === 0 && startsWithRdbPreamble(data)) {
        log.notice('Reading RDB base file on AOF loading...');
        rdb = createRdbLoader(server, { source: path, aofPreamble: true });
      }
      position += bytesRead;
      size = position;
      progress.loadedBytes += bytesRead;
      if (rdb && !rdb.complete) {
        rdb.push(data);
        if (!rdb.complete) continue;
        const result = await rdb.end();
        aux = result.aux;
        reader = replay.reader(result.bytesConsumed);
        reader.push(rdb.remainder());
        continue;
      }
      reader ??= replay.reader(0);
      reader.push(data);
    }
    if (size === 0) return { empty: true, aux };
    if (rdb && !rdb.complete) await rdb.end(); // throws: the preamble is truncated
    const outcome = (reader ?? replay.reader(size)).end();
    if (outcome.status === 'truncated') {
      // revert_incomplete_multi: the file ends inside MULTI; the transaction is dropped, and the file
      // is then treated as cut short before its MULTI.
      if (outcome.revertedMulti) log.warning(`Revert incomplete MULTI/EXEC transaction in AOF file ${file.fileName}`);
      await acceptTruncation(server, file, path, isLast, outcome.validUpTo);
    }
  } catch (err) {
    rdb?.abort();
    if (err instanceof AofLoadError) throw err;
    if (err instanceof CorruptDataError) {
      if (rdb && !rdb.complete) log.warning(`Error reading the RDB preamble of the AOF file ${file.fileName}, AOF loading aborted`);
      log.warning(
        `Bad file format reading the append only file ${file.fileName}: make a backup of your AOF file, then use ` +
          `./redis-check-aof --fix <filename.manifest>`,
      );
      log.warning(`${file.fileName}, offset ${err.offset ?? 'unknown'}: ${err.message}`);
      throw new AofLoadError(err.message);
    }
    log.warning(`Unrecoverable error reading the append only file ${file.fileName}: ${strerror(err)}`);
    throw new AofLoadError(String(err));
  } finally {
    await handle.close();
  }
  return { empty: false, aux };
}

/** The `uxeof` path of loadSingleAppendOnlyFile. */
async function acceptTruncation(server: Server, file: AofFileInfo, path: string, isLast: boolean, validUpTo: number): Promise<void> {
  const log = server.logger;
  if (isLast && server.config.bool('aof-load-truncated')) {
    log.warning(`!!! Warning: short read while loading the AOF file ${file.fileName}!!!`);
    log.warning(`!!! Truncating the AOF ${file.fileName} at offset ${validUpTo} !!!`);
    try {
      await truncate(path, validUpTo);
    } catch (err) {
      log.warning(`Error truncating the AOF file ${file.fileName}: ${strerror(err)}`);
      throw new AofLoadError('truncate failed');
    }
    log.warning(`AOF ${file.fileName} loaded anyway because aof-load-truncated is enabled`);
    return;
  }
  if (!isLast) {
    log.warning('Fatal error: the truncated file is not the last file');
    throw new AofLoadError('truncated file is not the last one');
  }
  log.warning(
    `Unexpected end of file reading the append only file ${file.fileName}. You can: 1) Make a backup of your AOF file, ` +
      `then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' ` +
      `configuration option to yes and restart the server.`,
  );
  throw new AofLoadError('truncated AOF');
}

/**
 * Runs an AOF's commands as Redis's fake AOF client does: no checks but the command's existence
 * and arity, commands inside MULTI held until their EXEC (a transaction cut off by the end of
 * the file is never applied), replies discarded.
 */
class CommandReplay {
  private readonly client: Client;
  private transaction: BinaryString[][] | null = null;

  constructor(
    private readonly server: Server,
    private readonly fileName: string,
  ) {
    this.client = new Client(server, null);
    this.client.authenticated = true;
    this.client.isAofReplay = true;
  }

  reader(startOffset: number): AofCommandReader {
    return new AofCommandReader((argv) => this.command(argv.map((a) => a.latin1Slice(0, a.length))), startOffset);
  }

  private command(argv: BinaryString[]): void {
    const name = argv[0]!.toLowerCase();
    if (name === 'multi') {
      this.transaction = [];
      return;
    }
    if (name === 'exec') {
      const queued = this.transaction ?? [];
      this.transaction = null;
      for (const queuedArgv of queued) this.execute(queuedArgv);
      return;
    }
    if (this.transaction) this.transaction.push(argv);
    else this.execute(argv);
  }

  private execute(argv: BinaryString[]): void {
    const command = this.server.commands.lookup(argv);
    if (!command || !command.handler || !arityMatches(command, argv.length)) {
      this.server.logger.warning(`Unknown command '${argv[0]}' reading the append only file ${this.fileName}`);
      throw new AofLoadError(`unknown command ${argv[0]}`);
    }
    call(this.client, command, argv);
    this.client.reply.take();
  }
}

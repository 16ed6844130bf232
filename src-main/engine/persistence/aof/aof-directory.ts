// The multi-part AOF on disk (aof.c, Redis 7): the `appenddirname` directory inside `dir`, its
// manifest `<appendfilename>.manifest`, and the names of base and incr files:
//   <appendfilename>.<seq>.base.rdb | .base.aof    <appendfilename>.<seq>.incr.aof
import { existsSync, mkdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config/config.js';
import { formatAofManifest, parseAofManifest, type AofFileInfo, type AofManifest } from './aof-manifest.js';
import { TempFile } from '../durable-file.js';

export class AofDirectory {
  constructor(private readonly config: Config) {}

  /** appenddirname, inside dir. */
  get path(): string {
    return this.config.path(this.config.str('appenddirname'));
  }

  /** appenddirname as configured (how Redis names the directory in its log lines). */
  get dirName(): string {
    return this.config.str('appenddirname');
  }

  /** appendfilename: the prefix of every file name, and the name of an old single-file AOF in dir. */
  get prefix(): string {
    return this.config.str('appendfilename');
  }

  get manifestName(): string {
    return `${this.prefix}.manifest`;
  }

  filePath(name: string): string {
    return join(this.path, name);
  }

  baseName(seq: number, rdbPreamble: boolean): string {
    return `${this.prefix}.${seq}.base.${rdbPreamble ? 'rdb' : 'aof'}`;
  }

  incrName(seq: number): string {
    return `${this.prefix}.${seq}.incr.aof`;
  }

  /** The old single-file AOF (`appendonly.aof` in dir) that Redis 7 upgrades from. */
  get legacyFilePath(): string {
    return this.config.path(this.prefix);
  }

  /** The manifest, or null when there is none. Throws AofManifestError on a bad one. */
  readManifest(): AofManifest | null {
    const path = this.filePath(this.manifestName);
    if (!existsSync(path)) return null;
    const data = readFileSync(path);
    return parseAofManifest(data.latin1Slice(0, data.length));
  }

  /** writeAofManifestFile: temp file, fsync, rename, fsync the directory. */
  writeManifest(manifest: AofManifest): void {
    this.ensureExists();
    const temp = new TempFile(this.filePath(`temp-${this.manifestName}`));
    try {
      temp.write(Buffer.from(formatAofManifest(manifest), 'latin1'));
      temp.commitSync(this.filePath(this.manifestName));
    } catch (err) {
      temp.discard();
      throw err;
    }
  }

  ensureExists(): void {
    mkdirSync(this.path, { recursive: true });
  }

  fileSize(name: string): number {
    try {
      return statSync(this.filePath(name)).size;
    } catch {
      return 0;
    }
  }

  /** Deletes a file of the directory; one that is already gone is fine. */
  remove(name: string): void {
    try {
      unlinkSync(this.filePath(name));
    } catch {
      // Already removed.
    }
  }

  /** aofDelHistoryFiles: removes the files a rewrite turned into history, then drops them from the manifest. */
  deleteHistory(manifest: AofManifest, log: (line: string) => void): void {
    if (manifest.history.length === 0) return;
    for (const file of manifest.history) {
      log(`Removing the history file ${file.fileName} in the background`);
      this.remove(file.fileName);
    }
    manifest.history = [];
    this.writeManifest(manifest);
  }
}

/** The next sequence numbers after those in use (getNewBaseFileNameAndMarkPreAsHistory / getNewIncrAofName). */
export function nextSeq(files: readonly (AofFileInfo | null)[]): number {
  return Math.max(0, ...files.map((f) => f?.seq ?? 0)) + 1;
}

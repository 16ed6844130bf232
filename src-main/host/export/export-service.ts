// The host's side of exportLogs: writes the archive into <dataDir>/exports/ while the lab keeps
// running (lab-archive.ts never blocks the event loop for long), after writing the history still
// pending so the archive ends at the moment it was asked for.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORT_DOWNLOAD_PATH, type ExportedArchive, type ExportRequest } from '../../api/index.js';
import { writeLabArchive } from './lab-archive.js';

export class ExportService {
  readonly dir: string;
  private last = '';
  private sequence = 0;

  constructor(
    private readonly dataDir: string,
    /** Browser mode offers the archive as a download; the Electron window shows where it is. */
    private readonly offersDownloads: () => boolean,
    private readonly flushHistory: () => void,
  ) {
    this.dir = join(dataDir, 'exports');
  }

  async export(request: ExportRequest = {}): Promise<ExportedArchive> {
    mkdirSync(this.dir, { recursive: true });
    this.flushHistory();
    const name = this.nextName();
    const result = await writeLabArchive({
      dataDir: this.dataDir,
      out: join(this.dir, name),
      since: request.since,
      until: request.until,
      includeData: request.includeData,
    });
    return { name, file: result.file, bytes: result.bytes, download: this.offersDownloads() ? `${EXPORT_DOWNLOAD_PATH}${name}` : null };
  }

  /** replica-lab-YYYYMMDD-HHMMSS.tar.gz in UTC, with -N added for a second export in the same second. */
  private nextName(): string {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    this.sequence = stamp === this.last ? this.sequence + 1 : 0;
    this.last = stamp;
    return `replica-lab-${stamp}${this.sequence ? `-${this.sequence}` : ''}.tar.gz`;
  }
}

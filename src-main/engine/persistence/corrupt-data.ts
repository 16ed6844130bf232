// The one error type of the persistence layer. `offset` is the absolute byte position in the
// file or payload where the problem was found, when the thrower knows it. `report` is what
// rdb.c's rdbReportError is given at the check that found it, for the log lines a node prints
// when it cannot load an RDB (see describeLoadFailure in rdb/rdb-load.ts).

export interface CorruptReport {
  /** The text rdbReportCorruptRDB / rdbReportReadError gets ("RDB CRC error", ...). */
  reason: string;
  /** A warning Redis logs on its own line just before ("Short read or OOM loading DB. ..."). */
  preface?: string;
  /**
   * The line of Redis 7.0.15's rdb.c whose check this one mirrors, which redis-server prints as
   * "function at rdb.c:N"; 0 where no single Redis check corresponds.
   */
  redisLine?: number;
  /**
   * Whether redis-server then logs "Terminating server after rdb file reading failure.": it runs
   * redis-check-rdb on the file first, which exits by itself (without that line) when its own
   * checks find the problem (the checksum, an early end, an unknown type byte), and reaches
   * rdbReportError's last line only when the problem is inside a value it decodes.
   */
  terminatingLine?: boolean;
  /**
   * Set where Redis does not call rdbReportError but logs `reason` alone and has rdbLoad fail
   * with this errno (strerror's text), which loadDataFromDisk reports as "Fatal error loading the
   * DB: <errno>. Exiting." (the header checks: signature and version).
   */
  errno?: string;
}

export class CorruptDataError extends Error {
  readonly report: Required<Omit<CorruptReport, 'preface' | 'errno'>> & Pick<CorruptReport, 'preface' | 'errno'>;

  constructor(
    message: string,
    readonly offset: number | null = null,
    report: Partial<CorruptReport> = {},
  ) {
    super(message);
    this.name = 'CorruptDataError';
    this.report = {
      reason: report.reason ?? message,
      preface: report.preface,
      redisLine: report.redisLine ?? 0,
      terminatingLine: report.terminatingLine ?? true,
      errno: report.errno,
    };
  }
}

/** Thrown by the small blob decoders (listpack, ziplist, intset, zipmap), which see no file offsets. */
export function corrupt(message: string): never {
  throw new CorruptDataError(message);
}

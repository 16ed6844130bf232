// A stream as read from an RDB file or a DUMP payload. Our nodes have no stream commands, but a
// dataset copied from a real Redis may hold streams: kept like this they survive loading, saving,
// DUMP/RESTORE, TYPE and DEBUG DIGEST unchanged, so a node never silently drops a user's data.
import type { AggregateValue } from '../../keyspace/value.js';
import type { StreamValue } from '../value-model.js';

export class StoredStream implements AggregateValue {
  readonly type = 'stream';

  constructor(readonly stream: StreamValue) {}

  encoding(): string {
    return 'stream';
  }

  /** Nothing modifies a stored stream in place, so a snapshot may share it. */
  clone(): StoredStream {
    return this;
  }
}

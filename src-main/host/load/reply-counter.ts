// Counts the replies in a RESP2 stream as its chunks arrive, without building them: the load worker
// only needs to know how many replies came back and what any error said. Work is per reply, on
// whole chunks; a reply split across chunks waits in `rest` for the next one.

/** The end of the reply starting at `at`, or -1 if `data` does not hold all of it yet. */
function replyEnd(data: Buffer, at: number): number {
  const lineEnd = data.indexOf('\r\n', at);
  if (lineEnd === -1) return -1;
  const type = data[at];
  if (type === 0x2b /* + */ || type === 0x2d /* - */ || type === 0x3a /* : */) return lineEnd + 2;
  const size = Number(data.toString('latin1', at + 1, lineEnd));
  if (type === 0x24 /* $ */) {
    if (size < 0) return lineEnd + 2;
    const end = lineEnd + 2 + size + 2;
    return end <= data.length ? end : -1;
  }
  if (type === 0x2a /* * */) {
    let pos = lineEnd + 2;
    for (let i = 0; i < size; i++) {
      pos = replyEnd(data, pos);
      if (pos === -1) return -1;
    }
    return pos;
  }
  throw new Error(`not a RESP2 reply: ${JSON.stringify(data.toString('latin1', at, Math.min(lineEnd, at + 40)))}`);
}

export class ReplyCounter {
  private rest: Buffer = Buffer.alloc(0);

  /** Feeds a chunk; calls `onReply` once per complete reply, with the error text for an error reply. */
  feed(chunk: Buffer, onReply: (error: string | null) => void): void {
    const data = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
    let at = 0;
    while (at < data.length) {
      const end = replyEnd(data, at);
      if (end === -1) break;
      onReply(data[at] === 0x2d ? data.toString('utf8', at + 1, end - 2) : null);
      at = end;
    }
    this.rest = at === data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(at));
  }

  reset(): void {
    this.rest = Buffer.alloc(0);
  }
}

// Node's Buffer has had latin1Slice/latin1Write since its first releases (toString('latin1') and
// write(..., 'latin1') call them after checking the encoding name). The hot path calls them
// directly: per request argument that check is a measurable share of the parse time.
declare global {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    latin1Write(text: string, offset: number, length: number): number;
  }
}
export {};

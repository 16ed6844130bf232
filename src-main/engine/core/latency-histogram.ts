// Per-command latency histograms (Redis 7.0's latency tracking: `latency-tracking`, INFO
// latencystats, LATENCY HISTOGRAM). Redis keeps an HdrHistogram per command (hdr_histogram.c,
// tracking 1 ns to 1 s with 2 significant figures); this is the same bucket layout, so the
// percentiles and the CDF buckets are the values Redis reports for the same durations: values up
// to 255 ns exactly, then 128 sub-buckets per power of two.

/** server.h LATENCY_HISTOGRAM_MIN_VALUE / MAX_VALUE (ns). */
const MIN_VALUE = 1;
const MAX_VALUE = 1_000_000_000;
/** 2 significant figures: 256 sub-buckets, the upper 128 of them used past the first bucket. */
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
const SUB_BUCKET_HALF_COUNT = 128;
const SUB_BUCKET_MASK = 255;
/** Buckets until 256 << n reaches MAX_VALUE: 23; counts = (buckets + 1) * 128. */
const COUNTS_LEN = 24 * SUB_BUCKET_HALF_COUNT;

function bucketIndex(value: number): number {
  return 32 - Math.clz32(value | SUB_BUCKET_MASK) - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
}

function countsIndex(value: number): number {
  const bucket = bucketIndex(value);
  const subBucket = value >>> bucket;
  return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (subBucket - SUB_BUCKET_HALF_COUNT);
}

/** hdr_value_at_index: the lowest value counted at an index. */
function valueAtIndex(index: number): number {
  let bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
  let subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    subBucket -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  return subBucket * 2 ** bucket;
}

function lowestEquivalent(value: number): number {
  const bucket = bucketIndex(value);
  return (value >>> bucket) * 2 ** bucket;
}

/** The largest value counted in the same bucket as `value`. */
export function highestEquivalent(value: number): number {
  const bucket = bucketIndex(value);
  const subBucket = value >>> bucket;
  const rangeBucket = subBucket >= 2 * SUB_BUCKET_HALF_COUNT ? bucket + 1 : bucket;
  return lowestEquivalent(value) + 2 ** rangeBucket - 1;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(COUNTS_LEN);
  totalCount = 0;

  /** updateCommandLatencyHistogram: one duration in ns, clamped to the tracked range. */
  record(ns: number): void {
    const value = ns < MIN_VALUE ? MIN_VALUE : ns > MAX_VALUE ? MAX_VALUE : Math.floor(ns);
    this.counts[countsIndex(value)]!++;
    this.totalCount++;
  }

  /** hdr_value_at_percentile, in ns. */
  valueAtPercentile(percentile: number): number {
    const requested = Math.min(percentile, 100);
    const wanted = Math.max(Math.floor((requested / 100) * this.totalCount + 0.5), 1);
    let seen = 0;
    for (let i = 0; i < COUNTS_LEN; i++) {
      seen += this.counts[i]!;
      if (seen >= wanted) {
        const value = valueAtIndex(i);
        return percentile === 0 ? lowestEquivalent(value) : highestEquivalent(value);
      }
    }
    return 0;
  }

  /**
   * fillCommandCDF's buckets: hdr's logarithmic iteration from 1024 ns doubling each step; for each
   * step that adds calls, [the step's highest equivalent value in µs, calls so far].
   */
  cdf(): [number, number][] {
    const buckets: [number, number][] = [];
    let cumulative = 0;
    let previous = 0;
    let index = 0;
    for (let level = 1024; previous < this.totalCount && level <= MAX_VALUE * 2; level *= 2) {
      const last = countsIndex(Math.min(level, MAX_VALUE));
      for (; index <= last; index++) cumulative += this.counts[index]!;
      if (cumulative > previous) buckets.push([Math.floor(highestEquivalent(Math.min(level, MAX_VALUE)) / 1000), cumulative]);
      previous = cumulative;
    }
    return buckets;
  }
}

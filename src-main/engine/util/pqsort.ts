// Redis's pqsort.c: the NetBSD libc quicksort (Bentley & McIlroy's "Engineering a Sort Function")
// changed to sort only what a range of positions needs. GEORADIUS ... COUNT uses it when fewer
// results are returned than found, and since it is not stable, which of several equally distant
// points come first depends on its exact sequence of swaps; hence a faithful port, on indexes.

export type Comparator<T> = (a: T, b: T) => number;

/**
 * pqsort(a, n, es, cmp, lrange, rrange): sorts `items` enough that positions lrange..rrange hold
 * what a full sort would put there (in place).
 */
export function pqsort<T>(items: T[], compare: Comparator<T>, lrange: number, rrange: number): void {
  partialSort(items, 0, items.length, compare, lrange, rrange);
}

function swap<T>(items: T[], i: number, j: number): void {
  const t = items[i]!;
  items[i] = items[j]!;
  items[j] = t;
}

/** vecswap: swaps the n elements from i with the n elements from j. */
function vecswap<T>(items: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(items, i + k, j + k);
}

function med3<T>(items: T[], a: number, b: number, c: number, cmp: Comparator<T>): number {
  const [x, y, z] = [items[a]!, items[b]!, items[c]!];
  return cmp(x, y) < 0 ? (cmp(y, z) < 0 ? b : cmp(x, z) < 0 ? c : a) : cmp(y, z) > 0 ? b : cmp(x, z) < 0 ? a : c;
}

function insertionSort<T>(items: T[], a: number, n: number, cmp: Comparator<T>): void {
  for (let pm = a + 1; pm < a + n; pm++) {
    for (let pl = pm; pl > a && cmp(items[pl - 1]!, items[pl]!) > 0; pl--) swap(items, pl, pl - 1);
  }
}

/** Whether the elements first..last (inclusive) overlap the positions lrange..rrange. */
function overlaps(first: number, last: number, lrange: number, rrange: number): boolean {
  return !((lrange < first && rrange < first) || (lrange > last && rrange > last));
}

/** _pqsort over the n elements starting at index a. */
function partialSort<T>(items: T[], a: number, n: number, cmp: Comparator<T>, lrange: number, rrange: number): void {
  for (;;) {
    let swapped = false;
    if (n < 7) {
      insertionSort(items, a, n, cmp);
      return;
    }
    let pm = a + Math.floor(n / 2);
    if (n > 7) {
      let pl = a;
      let pn = a + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(items, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(items, pm - d, pm, pm + d, cmp);
        pn = med3(items, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(items, pl, pm, pn, cmp);
    }
    swap(items, a, pm);
    let pa = a + 1;
    let pb = pa;
    let pc = a + n - 1;
    let pd = pc;
    for (;;) {
      let result: number;
      while (pb <= pc && (result = cmp(items[pb]!, items[a]!)) <= 0) {
        if (result === 0) {
          swapped = true;
          swap(items, pa, pb);
          pa++;
        }
        pb++;
      }
      while (pb <= pc && (result = cmp(items[pc]!, items[a]!)) >= 0) {
        if (result === 0) {
          swapped = true;
          swap(items, pc, pd);
          pd--;
        }
        pc--;
      }
      if (pb > pc) break;
      swap(items, pb, pc);
      swapped = true;
      pb++;
      pc--;
    }
    if (!swapped) {
      // Switch to insertion sort.
      insertionSort(items, a, n, cmp);
      return;
    }
    const pn = a + n;
    let r = Math.min(pa - a, pb - pa);
    vecswap(items, a, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    vecswap(items, pb, pn - r, r);
    if ((r = pb - pa) > 1) {
      if (overlaps(a, a + r - 1, lrange, rrange)) partialSort(items, a, r, cmp, lrange, rrange);
    }
    if ((r = pd - pc) > 1) {
      // Iterate rather than recurse.
      a = pn - r;
      n = r;
      if (overlaps(a, a + r - 1, lrange, rrange)) continue;
    }
    return;
  }
}

/**
 * An ordered diff of two lists by key: common prefix and suffix first (the usual case is a few
 * changed rules in a long chain), a longest-common-subsequence table for what is left.
 */
export interface Op<T> {
  op: ' ' | '-' | '+';
  item: T;
}

/** Above this many cells the middle is shown as removed-then-added (still correct, just coarse). */
const MAX_CELLS = 4_000_000;

export function lcsOps<T extends { key: string }>(a: readonly T[], b: readonly T[]): Op<T>[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre]!.key === b[pre]!.key) pre++;
  let suf = 0;
  while (
    suf < a.length - pre &&
    suf < b.length - pre &&
    a[a.length - 1 - suf]!.key === b[b.length - 1 - suf]!.key
  ) {
    suf++;
  }
  const same = (xs: readonly T[]): Op<T>[] => xs.map((item) => ({ op: ' ', item }));
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);
  return [...same(a.slice(0, pre)), ...middle(midA, midB), ...same(a.slice(a.length - suf))];
}

function middle<T extends { key: string }>(a: readonly T[], b: readonly T[]): Op<T>[] {
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) {
    return [
      ...a.map((item) => ({ op: '-' as const, item })),
      ...b.map((item) => ({ op: '+' as const, item })),
    ];
  }
  const w = b.length + 1;
  const t = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      t[i * w + j] =
        a[i]!.key === b[j]!.key
          ? t[(i + 1) * w + j + 1]! + 1
          : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
    }
  }
  return walk(a, b, t, w);
}

function walk<T extends { key: string }>(
  a: readonly T[],
  b: readonly T[],
  t: Uint32Array,
  w: number,
): Op<T>[] {
  const out: Op<T>[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]!.key === b[j]!.key) {
      out.push({ op: ' ', item: a[i++]! });
      j++;
    } else if (t[(i + 1) * w + j]! >= t[i * w + j + 1]!) out.push({ op: '-', item: a[i++]! });
    else out.push({ op: '+', item: b[j++]! });
  }
  while (i < a.length) out.push({ op: '-', item: a[i++]! });
  while (j < b.length) out.push({ op: '+', item: b[j++]! });
  return out;
}

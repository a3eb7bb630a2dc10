/** A count of hosts given as a number or as a share of the selection: `--batch 10`, `--max-fail 5%`. */
export type Amount = { count: number } | { percent: number };

/** The number of hosts an amount means for a selection of `total` (a percentage rounds up, at least 1). */
export function resolveAmount(amount: Amount, total: number): number {
  if ('count' in amount) return amount.count;
  return Math.max(1, Math.ceil((total * amount.percent) / 100));
}

export function formatAmount(amount: Amount): string {
  return 'count' in amount ? String(amount.count) : `${amount.percent}%`;
}

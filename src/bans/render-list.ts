/** `fleet bans list` as text: one line per ban, aligned columns, expiry relative to now. */
import { displayCidr } from './address.js';
import { isExpired } from './list.js';
import { formatDuration } from './ttl.js';
import type { BanEntry } from './types.js';

const HEADER = ['ADDRESS', 'EXPIRES', 'REASON', 'WHO', 'WHEN'];

export function expiryText(e: BanEntry, now: Date): string {
  if (e.expires === undefined) return 'never';
  const ms = Date.parse(e.expires) - now.getTime();
  if (isExpired(e, now)) return `expired ${formatDuration(-ms)} ago`;
  return `in ${formatDuration(ms)}`;
}

export function renderBanList(list: readonly BanEntry[], now: Date): string {
  if (list.length === 0) return 'no bans\n';
  const rows = list.map((e) => [
    displayCidr(e.cidr),
    expiryText(e, now),
    e.reason ?? '-',
    e.who || '-',
    e.when || '-',
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ');
  const expired = list.filter((e) => isExpired(e, now)).length;
  const foot = expired ? `${expired} expired: run \`fleet bans expire\` to lift them\n` : '';
  return `${[HEADER, ...rows].map(line).join('\n')}\n${list.length} ban(s)\n${foot}`;
}

/** The list for --json: entries with their display address and whether they are expired. */
export function banListJson(list: readonly BanEntry[], now: Date): object[] {
  return list.map((e) => ({ address: displayCidr(e.cidr), ...e, expired: isExpired(e, now) }));
}

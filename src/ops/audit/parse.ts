/** The audit script's output as data (see script.ts). Pure. */
import ipaddr from 'ipaddr.js';
import { BACKUP_TIME, backupTime } from '../apply/backups.js';
import { presentBody } from '../facts.js';
import { parseSections } from '../sections.js';
import { parseAptSimulate, parseCheckUpdate } from '../update/index.js';
import type { HostExtras, PendingUpdates } from './types.js';

export function parseAuditOutput(out: string): HostExtras {
  const s = parseSections(out);
  if (!s.has('end')) throw new Error('the audit script did not finish (output cut short)');
  return {
    now: Number(s.get('now')?.trim() ?? '0'),
    persisted: { v4: presentBody(s.get('persist4')), v6: presentBody(s.get('persist6')) },
    backups: parseBackups(s.get('backups') ?? ''),
    banSets: { v4: members(s.get('set4')), v6: members(s.get('set6')) },
    ipv6Addresses: ipv6Addresses(s.get('ipv6') ?? ''),
    updates: parseUpdates(s.get('updates') ?? 'none', s.get('reboot') ?? 'unknown'),
  };
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * The host's global IPv6 addresses, as `ip` prints them (`fdf1:ee70:ad5::10/64`), from
 * /proc/net/if_inet6 lines (`ADDR32HEX IFINDEX PREFIXHEX SCOPE FLAGS IFNAME`, scope global only:
 * the script's awk). Older scripts sent `ip -6 -o addr show scope global` lines (`2: eth0 inet6
 * ADDR/64 scope global ...`: the 4th field) or only the address (one field).
 */
function ipv6Addresses(text: string): string[] {
  return lines(text)
    .map((l) => {
      const f = l.split(/\s+/);
      if (f.length === 1) return f[0]!;
      if (/^[0-9a-f]{32}$/i.test(f[0]!) && f[2] !== undefined) return inet6Text(f[0]!, f[2]);
      return f[3] ?? '';
    })
    .filter(Boolean);
}

/** `fdf1ee700ad500ab0000000000000010`, `40` → `fdf1:ee70:ad5:ab::10/64` (RFC 5952, as ip prints). */
function inet6Text(hex: string, prefixHex: string): string {
  const groups = hex.match(/.{4}/g)!.join(':');
  return `${ipaddr.parse(groups).toString()}/${Number.parseInt(prefixHex, 16)}`;
}

function members(body: string | undefined): string[] | null {
  const text = presentBody(body);
  return text === null ? null : lines(text);
}

/** `<mtime> <path>` lines → the newest backup's time and the count. */
/**
 * The backups' lines: `PATH` for a backup whose name holds its time (backups.ts), else
 * `MTIME PATH` (stat's, for any other name).
 */
function parseBackups(body: string): { newest: number | null; count: number; newestPath?: string } {
  let newest: number | null = null;
  let newestPath: string | undefined;
  const all = lines(body)
    .map(backupLine)
    .filter((b) => b !== null);
  for (const b of all) {
    if (newest === null || b.time > newest) [newest, newestPath] = [b.time, b.path];
  }
  return { newest, count: all.length, ...(newestPath && { newestPath }) };
}

function backupLine(line: string): { time: number; path: string } | null {
  const stat = /^(\d+) (.+)$/.exec(line);
  if (stat) return { time: Number(stat[1]), path: stat[2]! };
  const name = /([^/]+)\.v4$/.exec(line)?.[1] ?? '';
  if (!BACKUP_TIME.test(name)) return null;
  return { time: Math.floor(backupTime(name).getTime() / 1000), path: line };
}

function parseUpdates(body: string, reboot: string): PendingUpdates {
  const [pm = 'none', ...rest] = body.split('\n');
  const text = rest.join('\n');
  const rebootRequired = reboot.trim() === 'yes' ? true : reboot.trim() === 'no' ? false : null;
  const base = { packageManager: pm.trim(), rebootRequired };
  if (pm === 'apt') return { ...base, ...aptPending(text) };
  if (pm === 'dnf' || pm === 'yum') return { ...base, ...rpmPending(text) };
  return { ...base, pending: [], security: [] };
}

function aptPending(text: string): Pick<PendingUpdates, 'pending' | 'security' | 'error'> {
  const error = lines(text).find((l) => l.startsWith('E: '));
  const inst = lines(text).filter((l) => l.startsWith('Inst '));
  const pending = parseAptSimulate(inst.join('\n')).map((c) => c.name);
  const security = parseAptSimulate(inst.filter((l) => /-security|Debian-Security/.test(l)).join('\n')).map(
    (c) => c.name,
  );
  return { pending, security, ...(error && { error: error.slice(3) }) };
}

function rpmPending(text: string): Pick<PendingUpdates, 'pending' | 'security' | 'error'> {
  const rc = /(?:^|\n)rc=(\d+)\s*$/.exec(text)?.[1];
  const body = text.replace(/(?:^|\n)rc=\d+\s*$/, '');
  if (rc !== '0' && rc !== '100')
    return { pending: [], security: [], error: lines(body).slice(-1)[0] ?? 'check-update failed' };
  return { pending: parseCheckUpdate(body).map((p) => p.name), security: [] };
}

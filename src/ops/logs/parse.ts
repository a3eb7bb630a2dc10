/**
 * Netfilter LOG lines as the kernel writes them (after the prefix: `IN=eth0 OUT= MAC=...
 * SRC=203.0.113.7 DST=10.0.0.5 LEN=60 ... PROTO=TCP SPT=51234 DPT=22 ...`), with the time
 * the log source put in front (dmesg --time-format iso, journalctl -o short-iso-precise,
 * rsyslog's RFC 3339 or traditional `Nov 22 01:38:59`). Pure.
 */
import ipaddr from 'ipaddr.js';
import { parseSections } from '../sections.js';

export interface Drop {
  /** Unix ms; null when the line carries no time fleet can read. */
  t: number | null;
  src: string;
  dst: string;
  /** Lower case: tcp, udp, icmp, ipv6-icmp, or the number. */
  proto: string;
  spt?: number;
  dpt?: number;
  in?: string;
  /** The IPv4 ID (or IPv6 flow label): with the time, tells two identical-looking lines apart. */
  id?: string;
}

export interface HostLog {
  source: 'journal' | 'dmesg' | 'kern.log' | 'none';
  /** Matching lines on the host (before the MAX cut). */
  count: number;
  lines: string[];
  /** The host's clock, Unix seconds, and its UTC offset (`+0100`), for syslog's local times. */
  now: number;
  zone: string;
}

export function parseLogsOutput(out: string): HostLog {
  const s = parseSections(out);
  if (!s.has('end')) throw new Error('the logs script did not finish (output cut short)');
  return {
    source: (s.get('source')?.trim() ?? 'none') as HostLog['source'],
    count: Number(s.get('count')?.trim() ?? '0'),
    lines: (s.get('lines') ?? '').split('\n').filter((l) => l.trim() !== ''),
    now: Number(s.get('now')?.trim() ?? '0'),
    zone: s.get('zone')?.trim() || '+0000',
  };
}

/** One line, or null when it is not a LOG line with SRC, DST and PROTO. */
export function parseDrop(line: string, prefix: string, nowMs: number, zone = '+0000'): Drop | null {
  const at = line.indexOf(prefix);
  if (at < 0) return null;
  const f = fields(line.slice(at + prefix.length));
  if (!f.SRC || !f.DST || !f.PROTO) return null;
  const drop: Drop = {
    t: lineTime(line.slice(0, at), nowMs, zone),
    src: address(f.SRC),
    dst: address(f.DST),
    proto: proto(f.PROTO),
  };
  if (f.SPT && /^\d+$/.test(f.SPT)) drop.spt = Number(f.SPT);
  if (f.DPT && /^\d+$/.test(f.DPT)) drop.dpt = Number(f.DPT);
  if (f.IN) drop.in = f.IN;
  const id = f.ID ?? f.FLOWLBL;
  if (id) drop.id = id;
  return drop;
}

function fields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tok of text.trim().split(/\s+/)) {
    const eq = tok.indexOf('=');
    if (eq > 0 && !(tok.slice(0, eq) in out)) out[tok.slice(0, eq)] = tok.slice(eq + 1);
  }
  return out;
}

/** `fdf1:ee70:0ad5:0015:0000:0000:0000:0001` → `fdf1:ee70:ad5:15::1` (as people write it). */
function address(text: string): string {
  if (!ipaddr.isValid(text)) return text;
  const a = ipaddr.parse(text);
  return a.kind() === 'ipv6' ? (a as ipaddr.IPv6).toRFC5952String() : a.toString();
}

function proto(text: string): string {
  const p = text.toLowerCase();
  return p === 'icmpv6' ? 'ipv6-icmp' : p;
}

const ISO = /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)?/;
const TRADITIONAL = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d:\d\d:\d\d)/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The time in front of the prefix. A traditional syslog date is the host's local time (`zone`)
 * and has no year: it gets the one that does not put it in the future.
 */
export function lineTime(head: string, nowMs: number, zone = '+0000'): number | null {
  const iso = ISO.exec(head);
  if (iso) {
    const ms = (iso[2] ?? '').padEnd(3, '0').slice(0, 3);
    const zone = iso[3] ? iso[3].replace(/^([+-]\d\d)(\d\d)$/, '$1:$2') : 'Z';
    const t = Date.parse(`${iso[1]}.${ms}${zone}`);
    return Number.isNaN(t) ? null : t;
  }
  const tr = TRADITIONAL.exec(head.trim());
  const month = tr ? MONTHS.indexOf(tr[1]!) : -1;
  if (!tr || month < 0) return null;
  const year = new Date(nowMs).getUTCFullYear();
  const offset = /^[+-]\d{4}$/.test(zone) ? `${zone.slice(0, 3)}:${zone.slice(3)}` : 'Z';
  const at = (y: number) =>
    Date.parse(`${y}-${String(month + 1).padStart(2, '0')}-${tr[2]!.padStart(2, '0')}T${tr[3]}${offset}`);
  const t = at(year);
  return t > nowMs + 86_400_000 ? at(year - 1) : t;
}

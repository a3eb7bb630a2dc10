/** Readers for the sections of a profile file: policies, ssh, services, icmp, log, preserve. */

import { isScalar } from 'yaml';
import { type Cursor, entries, isEmpty, items, itemsOrOne, namePos } from '../inventory/input/cursor.js';
import type { Problems } from '../inventory/input/problems.js';
import { checkName, describe, readBool, readInt, readString } from '../inventory/input/read.js';
import { MAX_RATE_HITS, type Policy, type PortSpec, type Proto, type ServiceRule } from '../model/profile.js';
import type { ProfileLayer } from './layer.js';
import { normalizeRate } from './rate.js';
import type { SetContext } from './sets.js';
import { readSources } from './sources.js';

export function readPolicies(c: Cursor, p: Problems): ProfileLayer['policies'] {
  const out: ProfileLayer['policies'] = {};
  for (const [chain, v] of entries(c, p, ['input', 'forward', 'output'])) {
    const text = readString(v, p, 'ACCEPT or DROP')?.toUpperCase();
    if (text === 'ACCEPT' || text === 'DROP') out[chain as keyof typeof out] = text as Policy;
    else if (text) p.add(v.pos, v.path, `policy must be ACCEPT or DROP, got ${describe(v)}`);
  }
  return out;
}

export function readSsh(c: Cursor, ctx: SetContext, p: Problems): ProfileLayer['ssh'] {
  const e = entries(c, p, ['port', 'sources', 'rate_limit']);
  const out: ProfileLayer['ssh'] = {};
  const port = e.get('port');
  const sources = e.get('sources');
  const rate = e.get('rate_limit');
  if (port) out.port = readInt(port, p, 1, 65535, 'port');
  if (sources) out.sources = readSources(sources, ctx, p);
  if (rate) out.rateLimit = isEmpty(rate) ? null : readRateLimit(rate, p);
  return out;
}

function readRateLimit(c: Cursor, p: Problems): { hits: number; seconds: number } | undefined {
  const e = entries(c, p, ['hits', 'seconds']);
  const [hits, seconds] = [e.get('hits'), e.get('seconds')];
  if (!hits || !seconds)
    p.add(c.pos, c.path, 'rate_limit needs both hits and seconds, e.g. { hits: 4, seconds: 60 }');
  const h = hits && readInt(hits, p, 1, MAX_RATE_HITS, 'hits');
  const s = seconds && readInt(seconds, p, 1, 86400, 'seconds');
  return h && s ? { hits: h, seconds: s } : undefined;
}

export function readServices(c: Cursor, ctx: SetContext, p: Problems): ProfileLayer['services'] {
  const out: ProfileLayer['services'] = new Map();
  for (const [name, v] of entries(c, p)) {
    if (checkName(name, namePos(v), p, 'service') === undefined) continue;
    out.set(name, isEmpty(v) ? null : readService(name, v, ctx, p));
  }
  return out;
}

function readService(name: string, c: Cursor, ctx: SetContext, p: Problems): ServiceRule[] {
  if (isScalar(c.node)) {
    const ports = readPorts(c, p);
    return ports ? [{ name, proto: 'tcp', ports, sources: [] }] : [];
  }
  const e = entries(c, p, ['port', 'proto', 'sources']);
  const [port, proto, sources] = [e.get('port'), e.get('proto'), e.get('sources')];
  if (!port) p.add(c.pos, c.path, `service "${name}" needs a port, e.g. port: 443 or port: "8000-8100"`);
  const ports = port && readPorts(port, p);
  const protos = proto ? readProtos(proto, p) : (['tcp'] as Proto[]);
  const src = sources ? readSources(sources, ctx, p) : [];
  return ports ? protos.map((pr) => ({ name, proto: pr, ports, sources: src })) : [];
}

/** `443`, `"8000-8100"` or `"8000:8100"`, each end 1..65535, from <= to. */
export function readPorts(c: Cursor, p: Problems): PortSpec | undefined {
  const text = readString(c, p, 'a port or range')?.trim() ?? '';
  const m = /^(\d{1,5})(?:\s*[-:]\s*(\d{1,5}))?$/.exec(text);
  const [from, to] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [0, 0];
  if (m && from >= 1 && to <= 65535 && from <= to) return { from, to };
  if (text)
    p.add(
      c.pos,
      c.path,
      `port "${text}" is not valid: use a port from 1 to 65535 or a range "FROM-TO" with FROM <= TO`,
    );
  return undefined;
}

function readProtos(c: Cursor, p: Problems): Proto[] {
  return itemsOrOne(c, p).flatMap((item) => {
    const v = readString(item, p, 'tcp or udp');
    if (v === 'tcp' || v === 'udp') return [v];
    if (v) p.add(item.pos, item.path, `proto must be tcp or udp (or a list of both), got "${v}"`);
    return [];
  });
}

export function readIcmp(c: Cursor, p: Problems): ProfileLayer['icmp'] {
  const e = entries(c, p, ['ping', 'rate']);
  const [ping, rate] = [e.get('ping'), e.get('rate')];
  return { ping: ping && readBool(ping, p), rate: rate && (isEmpty(rate) ? null : readRate(rate, p)) };
}

export function readRate(c: Cursor, p: Problems): string | undefined {
  const text = readString(c, p, 'a rate like 5/second');
  const rate = text === undefined ? undefined : normalizeRate(text);
  if (text !== undefined && !rate)
    p.add(
      c.pos,
      c.path,
      `rate "${text}" is not valid: write N/second, N/minute, N/hour or N/day (N from 1 to 10000)`,
    );
  return rate;
}

const LOG_PREFIX = /^[A-Za-z0-9 _.:=/[\]-]{1,28}$/;

export function readLog(c: Cursor, p: Problems): ProfileLayer['log'] {
  if (isEmpty(c)) return null;
  const e = entries(c, p, ['prefix', 'limit', 'burst']);
  const [prefix, limit, burst] = [e.get('prefix'), e.get('limit'), e.get('burst')];
  const text = prefix && readString(prefix, p, 'a log prefix');
  if (prefix && text !== undefined && !LOG_PREFIX.test(text)) {
    p.add(
      prefix.pos,
      prefix.path,
      `log prefix "${text}" must be 1 to 28 characters of letters, digits, space and _ . : = / [ ] -`,
    );
  }
  return {
    prefix: text && LOG_PREFIX.test(text) ? text : undefined,
    limit: limit && readRate(limit, p),
    burst: burst && readInt(burst, p, 1, 10000, 'burst'),
  };
}

const CHAIN_GLOB = /^[A-Za-z0-9_.*?-]{1,28}$/;

export function readPreserve(c: Cursor, p: Problems): string[] {
  return items(c, p).flatMap((item) => {
    const v = readString(item, p, 'a chain name or glob');
    if (v !== undefined && CHAIN_GLOB.test(v)) return [v];
    if (v !== undefined)
      p.add(
        item.pos,
        item.path,
        `"${v}" is not a chain name or glob: use letters, digits, _ . - and * ? (at most 28 characters)`,
      );
    return [];
  });
}

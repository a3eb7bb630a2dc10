/** A host entry of an Ansible inventory: `name`, `name:port`, ranges `web[01:03]`, `[v6]:port`. */
import { parseAddress } from '../input/address.js';
import { expandRange } from './ranges.js';

export function splitHostPattern(text: string): { names: string[]; port?: number } | string {
  let name = text;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const withPort = /^(.*[^:]):(\d+)$/.exec(text);
  if (bracketed) [name, port] = [bracketed[1]!, toPort(bracketed[2])];
  else if (withPort && !parseAddress(text)) [name, port] = [withPort[1]!, toPort(withPort[2])];
  if (text.endsWith(':')) return `host "${text}" ends in ":"; write host:PORT or just host`;
  if (port !== undefined && (port < 1 || port > 65535)) return `port in "${text}" must be 1 to 65535`;
  const names = expandRange(name);
  return typeof names === 'string' ? names : { names, port };
}

function toPort(p: string | undefined): number | undefined {
  return p === undefined ? undefined : Number(p);
}

/** Ports and port lists as iptables-save prints them: numbers, `a:b`, `a` for `a:a`. */
import { SERVICES } from './names.js';

export function portNumber(p: string): string {
  const n = SERVICES[p.toLowerCase()] ?? p;
  return /^\d+$/.test(n) ? String(Number(n)) : n;
}

/** `ssh` → `22`, `5:5` → `5`, `:1024` → `0:1024`, `1024:` → `1024:65535`. */
export function portRange(value: string): string {
  const sep = value.includes(':') ? ':' : value.includes('-') && !/[a-z]/i.test(value) ? '-' : undefined;
  if (!sep) return portNumber(value);
  const [a = '', b = ''] = value.split(sep);
  const from = a === '' ? '0' : portNumber(a);
  const to = b === '' ? '65535' : portNumber(b);
  return from === to ? from : `${from}:${to}`;
}

export function isAllPorts(value: string): boolean {
  return portRange(value) === '0:65535';
}

export function portList(value: string): string {
  return value.split(',').map(portRange).join(',');
}

/**
 * Recordings of real lab hosts' answers to fleet's scripts, and how a simulated host finds the
 * answer to a request (pure; test/bench/recording.test.ts).
 *
 * A request is the exec command (fleet's fixed script with its quoted arguments) and its stdin.
 * Its key is a hash of that text with the per-host and per-run values made placeholders: the
 * host's name and addresses (`{{name}}`, `{{address}}`, `{{address6}}`), then every other IPv4
 * address or CIDR in order of first appearance (`{{v4:0}}`, ...: the ban target, the management
 * sources). An answer is stored as a template with the same placeholders (the recorded host's own
 * values, and the request's), filled with the simulated host's values when it is played back.
 */
import { createHash } from 'node:crypto';

export interface HostValues {
  name: string;
  address: string;
  address6?: string;
}

export interface Recorded {
  /** What the request was, for people: fleet's command line and the first line of stdin. */
  what: string;
  stdout: string;
  stderr: string;
  code: number;
}

export interface Recording {
  note: string;
  made: string;
  entries: Record<string, Recorded>;
}

export interface Normalised {
  key: string;
  /** The request's other IPv4 values, by placeholder index. */
  values: string[];
}

const V4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?(?![\d.])/g;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The host's own values, longest first (an address is never cut by a shorter match). */
function hostPairs(h: HostValues): [string, string][] {
  const pairs: [string, string][] = [
    [h.name, '{{name}}'],
    [h.address, '{{address}}'],
  ];
  if (h.address6) pairs.push([h.address6, '{{address6}}']);
  return pairs.filter(([v]) => v !== '').sort((a, b) => b[0].length - a[0].length);
}

function replaceHost(text: string, h: HostValues): string {
  let out = text;
  for (const [value, mark] of hostPairs(h)) {
    out = out.replace(new RegExp(`(?<![\\w.:-])${escapeRe(value)}(?![\\w:-]|\\.\\d)`, 'g'), mark);
  }
  return out;
}

/** The request's key and its other IPv4 values. */
export function normalise(command: string, stdin: string, host: HostValues): Normalised {
  const values: string[] = [];
  const text = replaceHost(`${command}\n--stdin--\n${stdin}`, host).replace(V4, (v) => {
    let i = values.indexOf(v);
    if (i < 0) i = values.push(v) - 1;
    return `{{v4:${i}}}`;
  });
  return { key: createHash('sha256').update(text).digest('hex').slice(0, 24), values };
}

/** An answer of the recorded host (`host`) to a request with `values`, as a template. */
export function toTemplate(output: string, host: HostValues, values: string[]): string {
  let out = replaceHost(output, host);
  for (const [i, v] of values.entries()) {
    out = out.replace(new RegExp(`(?<![\\d.])${escapeRe(v)}(?![\\d.])`, 'g'), `{{v4:${i}}}`);
  }
  return out;
}

/** A template filled for the simulated `host` answering a request with `values`; a placeholder
 * it cannot fill is an error (never a wrong answer). */
export function fromTemplate(template: string, host: HostValues, values: string[]): string {
  return template.replace(/\{\{(name|address6|address|v4:(\d+))\}\}/g, (m, what: string, i?: string) => {
    const v =
      i !== undefined
        ? values[Number(i)]
        : what === 'name'
          ? host.name
          : what === 'address'
            ? host.address
            : host.address6;
    if (v === undefined)
      throw new Error(`simulated host ${host.name}: the recording needs ${m}, which this request lacks`);
    return v;
  });
}

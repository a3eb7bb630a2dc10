/**
 * Small tools the per-module normalizers share: rename an option, map or drop its value, add a
 * default the kernel prints back, sort a comma list into the kernel's order.
 */
import type { Family } from '../model.js';
import { isNegated, type OptGroup, optName, optValues, withValues } from './groups.js';

export type OptFn = (opts: OptGroup[], family: Family) => OptGroup[];

/** The option renamed (values and negation kept). */
export function renamed(g: OptGroup, to: string): OptGroup {
  return isNegated(g) ? ['!', to, ...optValues(g)] : [to, ...optValues(g)];
}

export function renameAll(opts: OptGroup[], names: Record<string, string>): OptGroup[] {
  return opts.map((g) => (names[optName(g)] ? renamed(g, names[optName(g)]!) : g));
}

export function mapValue(opts: OptGroup[], name: string, fn: (v: string) => string): OptGroup[] {
  return opts.map((g) => (optName(g) === name ? withValues(g, optValues(g).map(fn)) : g));
}

/** Drop `name` (with `value`, or any value) unless negated: the kernel does not print its default. */
export function dropDefault(opts: OptGroup[], name: string, value?: string): OptGroup[] {
  return opts.filter(
    (g) => !(optName(g) === name && !isNegated(g) && (value === undefined || optValues(g)[0] === value)),
  );
}

export function has(opts: OptGroup[], ...names: string[]): boolean {
  return opts.some((g) => names.includes(optName(g)));
}

export function find(opts: OptGroup[], name: string): OptGroup | undefined {
  return opts.find((g) => optName(g) === name);
}

/** Add `group` unless one of `unless` (default: its own name) is there: a default the kernel prints. */
export function withDefault(opts: OptGroup[], group: OptGroup, unless = [group[0]!]): OptGroup[] {
  return has(opts, ...unless) ? opts : [...opts, group];
}

/** A comma list upper-cased, known items in `order`, duplicates gone; `ALL` is the first `all` items. */
export function sortList(order: readonly string[], all = 6) {
  return (v: string) => {
    const items = v.split(',').map((s) => s.toUpperCase());
    const expanded = items.includes('ALL') ? order.slice(0, all) : items.filter((s) => s !== 'NONE');
    const known = expanded
      .filter((s) => order.includes(s))
      .sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const out = [...new Set([...known, ...expanded.filter((s) => !order.includes(s))])];
    return out.length === 0 ? 'NONE' : out.join(',');
  };
}

/** Compose option functions left to right. */
export function pipe(...fns: OptFn[]): OptFn {
  return (opts, family) => fns.reduce((o, fn) => fn(o, family), opts);
}

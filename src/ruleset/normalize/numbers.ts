/**
 * Numbers as iptables reads them (strtoul with base 0: `0x10`, `020` octal, `16`) and prints
 * them (marks as `0x10`, TOS as `0x10`, DSCP as `0x0a`). Unreadable text is left alone.
 */

/** The value of `text` as strtoul(…, 0) reads it, or undefined. */
export function parseUint(text: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^0[0-7]*$/.test(text)) return Number.parseInt(text, 8);
  if (/^[1-9]\d*$/.test(text)) return Number(text);
  return undefined;
}

export function hex(n: number, width = 0): string {
  return `0x${n.toString(16).padStart(width, '0')}`;
}

/** A number re-printed by `print`, or the text unchanged when it is not one. */
export function reprint(print: (n: number) => string) {
  return (text: string): string => {
    const n = parseUint(text);
    return n === undefined ? text : print(n);
  };
}

export const decimal = reprint(String);

/** `value[/mask]` with both parts read; mask undefined when absent. */
export function valueMask(text: string): { value: number; mask?: number } | undefined {
  const [v = '', m, ...rest] = text.split('/');
  const value = parseUint(v);
  const mask = m === undefined ? undefined : parseUint(m);
  if (value === undefined || rest.length || (m !== undefined && mask === undefined)) return undefined;
  return { value, mask };
}

export const U32 = 0xffffffff;

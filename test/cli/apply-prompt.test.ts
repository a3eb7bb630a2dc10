import { describe, expect, it } from 'vitest';
import { changeDigest, wantsPrompt } from '../../src/cli/apply-prompt.js';
import { InputError } from '../../src/errors.js';

const term = (stdin: boolean, stdout: boolean) => ({
  stdin: { isTTY: stdin } as NodeJS.ReadableStream & { isTTY?: boolean },
  io: {
    stdout: { write: () => true, isTTY: stdout },
    stderr: { write: () => true },
    env: {},
    signals: process,
  },
});

describe('wantsPrompt', () => {
  it('asks only when stdin and stdout are terminals and --yes is absent', () => {
    expect(wantsPrompt({}, term(true, true))).toBe(true);
    expect(wantsPrompt({ yes: true }, term(true, true))).toBe(false);
    expect(wantsPrompt({}, term(false, true))).toBe(false);
    expect(wantsPrompt({}, term(true, false))).toBe(false);
    expect(wantsPrompt({ json: true }, term(false, false))).toBe(false);
  });

  it('refuses --json on a terminal without --yes (the prompt would mix with JSON lines)', () => {
    expect(() => wantsPrompt({ json: true }, term(true, true))).toThrow(InputError);
    expect(wantsPrompt({ json: true, yes: true }, term(true, true))).toBe(false);
  });
});

const V4 = '--- current (iptables)\n+++ desired (iptables)\n';
const INPUT = '@@ filter INPUT @@\n-:INPUT ACCEPT\n+:INPUT DROP\n+-A INPUT -i lo -j ACCEPT\n';
const BANS =
  '@@ raw PREROUTING @@\n+-A PREROUTING -m comment --comment "fleet:bans:jump" -j FLEET-BANS\n' +
  '@@ raw FLEET-BANS @@ (new chain)\n+-A FLEET-BANS -m set --match-set fleet-bans4 src -m comment --comment "fleet:bans:fleet-bans4" -j DROP\n';

describe('changeDigest', () => {
  it('ignores the ban chain and jump (synced before the transaction) and context lines', () => {
    const withContext = `${V4}@@ filter INPUT @@\n -A INPUT -p tcp -j ACCEPT\n-:INPUT ACCEPT\n+:INPUT DROP\n+-A INPUT -i lo -j ACCEPT\n`;
    expect(changeDigest(`${V4}${INPUT}${BANS}`)).toBe(changeDigest(`${V4}${INPUT}`));
    expect(changeDigest(withContext)).toBe(changeDigest(`${V4}${INPUT}`));
    expect(changeDigest(`${V4}${BANS}`)).toBe(changeDigest(''));
  });

  it('tells apart changes to other rules, chains and families', () => {
    const other = INPUT.replace('-i lo', '-i eth0');
    expect(changeDigest(`${V4}${other}`)).not.toBe(changeDigest(`${V4}${INPUT}`));
    expect(changeDigest(`${V4}${INPUT.replaceAll('INPUT', 'FORWARD')}`)).not.toBe(
      changeDigest(`${V4}${INPUT}`),
    );
    const v6 = V4.replaceAll('(iptables)', '(ip6tables)');
    expect(changeDigest(`${v6}${INPUT}`)).not.toBe(changeDigest(`${V4}${INPUT}`));
    expect(changeDigest(`${V4}${INPUT}`)).not.toBe(changeDigest(''));
  });
});

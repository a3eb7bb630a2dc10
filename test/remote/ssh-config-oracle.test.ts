/**
 * OpenSSH is the oracle: for every config and alias in test/fixtures/ssh_config/oracle.yaml,
 * resolveSshConfig() must give what `ssh -G -F CONFIG ALIAS` prints (hostname, user, port,
 * identityfile list, proxyjump, and a few options fleet uses).
 *
 * ssh expands `~` and relative Includes with the passwd home, not $HOME, so each case runs ssh
 * in a private mount namespace (`unshare -m`) with a temp home bound over the real one.
 * `Match exec` would run commands: the test's copy replaces each exec command with `true`, then
 * with `false`, and tells the resolver the same answer (fleet itself never runs them).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sshConfigDefaults } from '../../src/cli/ssh-config-flags.js';
import { loadInventory } from '../../src/inventory/index.js';
import { resolveSshConfig } from '../../src/remote/ssh-config.js';
import { canonicalJump } from '../../src/remote/target.js';
import { SSH_CONFIG_CORPUS } from '../support/corpus.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/ssh_config');
const CORPUS = SSH_CONFIG_CORPUS;

interface Case {
  config: string;
  aliases: string[];
  home?: Record<string, string>;
  adapt?: Array<{ why: string; from: string; to: string }>;
}

const cases = parse(readFileSync(join(FIXTURES, 'oracle.yaml'), 'utf8')) as Case[];

function source(ref: string): string {
  if (ref.startsWith('corpus:')) return readFileSync(join(CORPUS, ref.slice(7)), 'utf8');
  if (ref.includes('\n')) return ref;
  return readFileSync(join(FIXTURES, ref), 'utf8');
}

/** Replace the command of every `exec`/`!exec` criterion on Match lines. */
function substituteExec(text: string, answer: 'true' | 'false'): string {
  return text.replace(/^(\s*match\b.*)$/gim, (line) =>
    line.replace(/(!?exec)\s+("[^"]*"|'[^']*'|\S+)/gi, `$1 ${answer}`),
  );
}

function prepare(c: Case, answer: 'true' | 'false'): { home: string; config: string } {
  const home = mkdtempSync(join(tmpdir(), 'fleet-oracle-'));
  for (const [rel, ref] of Object.entries(c.home ?? {})) {
    mkdirSync(dirname(join(home, rel)), { recursive: true });
    writeFileSync(join(home, rel), source(ref));
  }
  let text = source(c.config);
  for (const a of c.adapt ?? []) {
    if (!text.includes(a.from)) throw new Error(`adapt "${a.why}": text not found`);
    text = text.replace(a.from, a.to);
  }
  const config = join(home, 'test-config');
  writeFileSync(config, substituteExec(text, answer));
  return { home, config };
}

/** `ssh -G` for every alias, in one mount namespace where the temp home is the passwd home. */
function sshG(home: string, config: string, aliases: string[]): Map<string, Map<string, string[]>> {
  const script =
    'mount --bind "$1" "$2" && shift 2 && cfg=$1 && shift && for a; do echo "@@@"; ssh -G -F "$cfg" -- "$a" </dev/null || echo "@@@ failed"; done';
  const out = execFileSync(
    'unshare',
    ['-m', 'sh', '-c', script, 'x', home, userInfo().homedir, config, ...aliases],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const blocks = out.split('@@@\n').slice(1);
  return new Map(aliases.map((a, i) => [a, parseG(blocks[i] ?? '')]));
}

function parseG(text: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    const k = line.slice(0, sp);
    m.set(k, [...(m.get(k) ?? []), line.slice(sp + 1)]);
  }
  return m;
}

function fromSsh(g: Map<string, string[]>) {
  const one = (k: string) => g.get(k)?.[0];
  return {
    hostname: one('hostname'),
    user: one('user'),
    port: Number(one('port')),
    identityFiles: g.get('identityfile') ?? [],
    proxyJump: one('proxyjump'),
    identitiesOnly: one('identitiesonly') === 'yes',
    connectTimeout: one('connecttimeout') === 'none' ? undefined : Number(one('connecttimeout')),
    serverAliveInterval: Number(one('serveraliveinterval')),
    serverAliveCountMax: Number(one('serveralivecountmax')),
    hostKeyAlias: one('hostkeyalias'),
  };
}

function fromFleet(alias: string, home: string, config: string) {
  const exec = (cmd: string) => cmd === 'true';
  const r = resolveSshConfig(alias, { configFile: config, home, localUser: userInfo().username, exec });
  return {
    hostname: r.hostname,
    user: r.user,
    port: r.port,
    identityFiles: r.identityFiles,
    proxyJump: r.proxyJump === undefined ? undefined : canonicalJump(r.proxyJump),
    identitiesOnly: r.identitiesOnly,
    connectTimeout: r.connectTimeoutS,
    serverAliveInterval: r.serverAliveIntervalS ?? 0,
    serverAliveCountMax: r.serverAliveCountMax ?? 3,
    hostKeyAlias: r.hostKeyAlias,
  };
}

describe('ssh_config resolution equals `ssh -G`', () => {
  for (const c of cases) {
    for (const answer of ['true', 'false'] as const) {
      it(`${c.config} (Match exec → ${answer})`, () => {
        const { home, config } = prepare(c, answer);
        try {
          const oracle = sshG(home, config, c.aliases);
          for (const alias of c.aliases) {
            const g = oracle.get(alias)!;
            expect(g.get('hostname'), `ssh -G failed for ${alias}`).toBeDefined();
            expect({ alias, ...fromFleet(alias, home, config) }).toEqual({ alias, ...fromSsh(g) });
          }
        } finally {
          rmSync(home, { recursive: true, force: true });
        }
      });
    }
  }
});

/**
 * The inventory leaves user and port to ssh_config (as Ansible does): a native inventory naming
 * each alias as a host's address, with no user or port, must load with the User and Port
 * `ssh -G` prints (fleet's fallback is root; these tests run as root, where ssh's is too).
 */
describe('an inventory silent about user and port takes them from ssh_config, as `ssh -G`', () => {
  const asRoot = userInfo().username === 'root';
  for (const c of cases) {
    it(`${c.config}`, () => {
      const { home, config } = prepare(c, 'false');
      try {
        const aliases = c.aliases.filter((a) => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(a));
        const oracle = sshG(home, config, aliases);
        const inv = join(home, 'inventory.yaml');
        const hosts = aliases.map((a, i) => `  h${i}: { address: ${JSON.stringify(a)} }`).join('\n');
        writeFileSync(inv, `hosts:\n${hosts}\n`);
        const opts = { configFile: config, home, localUser: userInfo().username, exec: () => false };
        const loaded = loadInventory(home, { inventory: inv, connection: sshConfigDefaults(opts) });
        for (const [i, alias] of aliases.entries()) {
          const g = fromSsh(oracle.get(alias)!);
          const h = loaded.hosts[i]!;
          expect({ alias, port: h.port }).toEqual({ alias, port: g.port });
          if (asRoot) expect({ alias, user: h.user }).toEqual({ alias, user: g.user });
        }
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  }
});

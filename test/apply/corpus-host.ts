/**
 * A lab host made to look like a real server from the corpus: emptied, given the ipsets a dump
 * matches, then the dump loaded with the host's own iptables-restore (nft or legacy, whichever
 * `iptables` is there). And the checks the per-tool lab test makes: which foreign rules the
 * ownership model keeps (docs/coexistence.md), and whether they are all still there, in order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LabInfo, labHostExec } from '../../src/lab/index.js';
import { preserveGlobs } from '../../src/model/known-owners.js';
import { isBuiltinChain, parseSave, type Ruleset, ruleKey } from '../../src/ruleset/index.js';
import { isFleetRule, keepsChain, keepsRule, ownershipOf } from '../../src/ruleset/ownership.js';
import { IPTABLES_SAVE_CORPUS } from '../support/corpus.js';

export type Family = 4 | 6;
export const SAVE: Record<Family, string> = { 4: 'iptables-save', 6: 'ip6tables-save' };
const RESTORE: Record<Family, string> = { 4: 'iptables-restore', 6: 'ip6tables-restore' };
const TABLES = ['filter', 'nat', 'mangle', 'raw', 'security'];

export const dumpText = (file: string) => readFileSync(join(IPTABLES_SAVE_CORPUS, file), 'utf8');

/** Make `iptables` the legacy backend on this host (its own root: other hosts keep nft). */
export async function useLegacy(lab: LabInfo, host: string): Promise<void> {
  for (const t of ['iptables', 'ip6tables']) {
    const r = await labHostExec(lab, host, ['update-alternatives', '--set', t, `/usr/sbin/${t}-legacy`]);
    if (!r.ok) throw new Error(`${host}: ${t} legacy: ${r.stderr}`);
  }
}

/** Every table of both families empty, built-in policies ACCEPT, user chains gone. */
export async function emptyHost(lab: LabInfo, host: string): Promise<void> {
  for (const family of [4, 6] as const) {
    const save = (await labHostExec(lab, host, [SAVE[family]])).stdout;
    const tables = TABLES.filter((t) => save.includes(`*${t}\n`));
    const text = tables
      .map((t) => {
        const block = save.split(`*${t}\n`)[1]?.split('COMMIT')[0] ?? '';
        const builtins = [...block.matchAll(/^:(\S+) (?:ACCEPT|DROP)/gm)].map(
          (m) => `:${m[1]} ACCEPT [0:0]\n`,
        );
        return `*${t}\n${builtins.join('')}COMMIT\n`;
      })
      .join('');
    if (text) await labHostExec(lab, host, [RESTORE[family]], { input: text });
  }
}

/** Load a dump: first the ipsets it matches (empty), then the rules. Undefined, or why not. */
export async function loadDump(
  lab: LabInfo,
  host: string,
  text: string,
  family: Family,
): Promise<string | undefined> {
  const sets = new Set([...text.matchAll(/--match-set (\S+)/g)].map((m) => m[1]!));
  for (const s of sets) {
    const inet = family === 4 ? 'inet' : 'inet6';
    await labHostExec(lab, host, ['ipset', '-exist', 'create', s, 'hash:net', 'family', inet]);
  }
  const r = await labHostExec(lab, host, [RESTORE[family]], { input: text });
  return r.ok ? undefined : r.stderr.trim().split('\n')[0];
}

export async function liveRules(lab: LabInfo, host: string, family: Family): Promise<Ruleset> {
  return parseSave((await labHostExec(lab, host, [SAVE[family]])).stdout, { family });
}

export interface Expected {
  /** table/chain → the foreign rules that must stay, in order (canonical keys). */
  kept: Map<string, string[]>;
  /** Rules the model removes (drift: not a known owner's), as `table chain args`. */
  dropped: string[];
}

/** What the shipped base (`preserve: [known-owners]`) keeps of a host's rules, and what it drops. */
export function expectedAfterApply(before: Ruleset): Expected {
  const own = ownershipOf(before, { preserve: preserveGlobs(['known-owners']) });
  const kept = new Map<string, string[]>();
  const dropped: string[] = [];
  for (const t of before.tables) {
    for (const c of t.chains) {
      const builtin = isBuiltinChain(t.name, c.name);
      const stays = (r: (typeof c.rules)[number]) =>
        builtin ? keepsRule(t.name, r, own) : keepsChain(t.name, c.name, own);
      if (!builtin && !keepsChain(t.name, c.name, own)) {
        dropped.push(`${t.name} chain ${c.name} (${c.rules.length} rules)`);
        continue;
      }
      kept.set(
        `${t.name}/${c.name}`,
        c.rules.filter(stays).map((r) => ruleKey(r.args, before.family)),
      );
      for (const r of c.rules.filter((r) => !stays(r)))
        dropped.push(`${t.name} ${c.name} ${r.args.join(' ')}`);
    }
  }
  return { kept, dropped };
}

/** The foreign rules now live, per table/chain, for the chains `expected` names. */
export function foreignNow(after: Ruleset, expected: Expected): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of expected.kept.keys()) {
    const [table, chain] = key.split('/') as [string, string];
    const rules = after.tables.find((t) => t.name === table)?.chains.find((c) => c.name === chain)?.rules;
    out.set(
      key,
      (rules ?? []).filter((r) => !isFleetRule(r)).map((r) => ruleKey(r.args, after.family)),
    );
  }
  return out;
}

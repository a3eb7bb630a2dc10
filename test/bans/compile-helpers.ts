/**
 * What `fleet apply` would load on a lab host, without apply: the compiler's output for the host
 * (its profile, the inventory's management sources, the ban list, ipset mode as the lab hosts
 * have ipset), restored with iptables-restore; and the diff between a host's rules and it.
 */
import { loadFleet, profileFor } from '../../src/inventory/index.js';
import { type LabInfo, labHostExec } from '../../src/lab/index.js';
import type { Ban } from '../../src/model/ban.js';
import { type CompileOutput, compile } from '../../src/ruleset/compile/index.js';
import { diff } from '../../src/ruleset/diff.js';
import { parseSave } from '../../src/ruleset/parse.js';
import { renderDiff } from '../../src/ruleset/render-diff.js';

export function compiledFor(dir: string, lab: LabInfo, hostName: string, cidrs: string[]): CompileOutput {
  const fleet = loadFleet(dir, { inventory: lab.inventoryPath });
  const host = fleet.hosts.find((h) => h.name === hostName)!;
  const bans: Ban[] = cidrs.map((cidr) => ({ cidr, family: cidr.includes(':') ? 6 : 4 }));
  const profile = profileFor(fleet, host);
  return compile({
    profile,
    host,
    managementSources: fleet.settings.managementSources,
    bans,
    banMode: 'ipset',
  });
}

export async function restoreOnHost(lab: LabInfo, host: string, c: CompileOutput): Promise<void> {
  for (const [tool, text] of [
    ['iptables-restore', c.v4],
    ['ip6tables-restore', c.v6],
  ] as const) {
    const r = await labHostExec(lab, host, [tool, '-w'], { input: text });
    if (!r.ok) throw new Error(`${tool} on ${host}: ${r.stderr}`);
  }
}

/** The plan apply would show: unified diff text per family, '' when nothing would change. */
export async function rulesDiff(
  lab: LabInfo,
  host: string,
  c: CompileOutput,
): Promise<{ v4: string; v6: string }> {
  const save = async (tool: string) => (await labHostExec(lab, host, [tool])).stdout;
  const d4 = diff(parseSave(await save('iptables-save'), { family: 4 }), c.rulesets.v4, {
    preserve: c.preserve,
  });
  const d6 = diff(parseSave(await save('ip6tables-save'), { family: 6 }), c.rulesets.v6, {
    preserve: c.preserve,
  });
  return { v4: renderDiff(d4), v6: renderDiff(d6) };
}

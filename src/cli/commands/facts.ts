import type { Command } from 'commander';
import type { Inventory } from '../../inventory/index.js';
import { armedText } from '../../ops/armed.js';
import { type Facts, gatherFacts, mixedBackend } from '../../ops/facts.js';
import { declareHostCommand, runSelected } from '../host-command.js';
import type { HostCommandSpec } from '../host-task.js';

export function registerFacts(program: Command): void {
  const cmd = program
    .command('facts <selector>')
    .description('gather OS, package manager, iptables backend and rule counts');
  declareHostCommand(cmd, { timeout: '60s' }).action(async (selector: string, _o, c: Command) => {
    process.exitCode = await runSelected<Inventory>(selector, c.optsWithGlobals(), factsSpec());
  });
}

/** What `fleet facts` runs on each host (in the main thread or a worker thread). */
export function factsSpec(): HostCommandSpec<Inventory> {
  return {
    command: 'facts',
    withProfiles: false,
    worker: () => ({ name: 'facts' }),
    task: async (_job, _host, session, ctx) => {
      ctx.step('facts');
      const { facts } = await gatherFacts(session);
      const mixed = mixedBackend(facts);
      if (!mixed) return { status: 'ok', detail: factsLine(facts), data: { facts } };
      return { status: 'ok', detail: `${factsLine(facts)}; MIXED: ${mixed}`, data: { facts, mixed } };
    },
  };
}

/** `debian 12, apt, iptables nft (v1.8.9), ip6tables, ipset, no systemd, rules 12/4, persisted` */
export function factsLine(f: Facts): string {
  const tools = [f.ip6tables && 'ip6tables', f.ipset && 'ipset', f.conntrack && 'conntrack'].filter(Boolean);
  return [
    `${f.os} ${f.osVersion}`.trim(),
    f.packageManager,
    `iptables ${f.iptables}`,
    ...tools,
    f.systemd ? 'systemd' : 'no systemd',
    `rules ${f.rulesV4}/${f.rulesV6}`,
    f.persisted ? `persisted ${f.persistV4}` : 'not persisted',
    ...f.activeTools.map((t) => `${t} active`),
    ...f.armed.map((a) => `ARMED: ${armedText(a)}`),
  ].join(', ');
}

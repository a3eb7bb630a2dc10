/** `fleet lab up|down|status`: real test hosts on this machine, in network namespaces. */
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { EXIT, InputError } from '../../errors.js';

function intArg(value: string | undefined, what: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new InputError(`${what} must be a whole number, not "${value}"`);
  return Number(value);
}

export function registerLab(program: Command): void {
  const lab = program.command('lab').description('real test hosts on this machine, in network namespaces');

  lab
    .command('up [count]')
    .description('start COUNT lab hosts (default 5), each with its own sshd, hostname, root and firewall')
    .option('--name <name>', 'lab name (several labs coexist)', 'lab')
    .option('--subnet <cidr>', 'IPv4 /24 for the lab (default: a free /24 of 10.213.0.0/16)')
    .option('--hidden <k>', 'add K hosts that only the bastion (host 1) can reach')
    .option('--group <group>', 'put every host in this one group')
    .addOption(
      new Option('--flavor <flavor>', 'every host Debian (apt) or RPM (dnf/yum, /etc/sysconfig; not RHEL)')
        .choices(['debian', 'rpm'])
        .default('debian'),
    )
    .option('--rpm <m>', 'a mixed lab: the last M hosts of the RPM flavour, the others Debian')
    .action(
      async (
        count: string | undefined,
        o: { name: string; subnet?: string; hidden?: string; group?: string; flavor: string; rpm?: string },
        cmd: Command,
      ) => {
        const { labUp, DEFAULT_LAB } = await import('../../lab/index.js');
        const dir = (cmd.optsWithGlobals() as { dir?: string }).dir ?? '.';
        const inventoryOut = o.name === DEFAULT_LAB ? join(resolve(dir), 'inventory', 'lab.yaml') : undefined;
        const t0 = Date.now();
        const hosts = intArg(count, 'count', 5);
        const info = await labUp({
          name: o.name,
          count: hosts,
          rpm: o.flavor === 'rpm' ? hosts : intArg(o.rpm, '--rpm', 0),
          subnet: o.subnet,
          hidden: intArg(o.hidden, '--hidden', 0),
          group: o.group,
          inventoryOut,
          log: (l) => process.stderr.write(`${l}\n`),
        });
        const secs = ((Date.now() - t0) / 1000).toFixed(1);
        process.stdout.write(
          [
            `lab ${info.name}: ${info.hosts.length} hosts up (${secs}s), ${info.subnet} ${info.subnet6}, workstation ${info.workstation.v4}`,
            `inventory:   ${inventoryOut ?? info.inventoryPath}`,
            `known_hosts: ${info.knownHostsPath}`,
            `identity:    ${info.identityPath}`,
            '',
          ].join('\n'),
        );
      },
    );

  lab
    .command('down')
    .description('stop the lab: its processes, mounts, namespaces and links (the guard route stays)')
    .option('--name <name>', 'lab name', 'lab')
    .action(async (o: { name: string }) => {
      const { labDown } = await import('../../lab/index.js');
      await labDown(o.name);
      process.stdout.write(`lab ${o.name}: down\n`);
    });

  lab
    .command('status')
    .description("list the lab's hosts, their addresses and whether sshd answers")
    .option('--name <name>', 'lab name', 'lab')
    .action(async (o: { name: string }) => {
      const { labStatus } = await import('../../lab/index.js');
      const s = await labStatus(o.name);
      if (!s.up) {
        process.stdout.write(`lab ${s.name}: down${s.subnet ? ` (subnet ${s.subnet})` : ''}\n`);
        return;
      }
      const rows = s.hosts.map((h) => [
        h.name,
        h.address,
        h.address6,
        h.hidden ? 'hidden' : '',
        h.sshd ? 'ssh ok' : h.running ? 'ssh DOWN' : 'host DOWN',
      ]);
      const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
      for (const r of rows) {
        process.stdout.write(`${r.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ')}\n`);
      }
      const ok = s.hosts.filter((h) => h.sshd).length;
      process.stdout.write(
        `lab ${s.name}: ${ok}/${s.hosts.length} hosts answer SSH (${s.subnet} ${s.subnet6})\n`,
      );
      if (ok < s.hosts.length) process.exitCode = EXIT.hostFailed;
    });
}

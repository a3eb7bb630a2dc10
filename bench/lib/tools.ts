/**
 * Command lines of the tools under test, all aimed at one HostSet of the bench's labs:
 * fleet (the built CLI), Debian's parallel-ssh (OpenSSH in C, one ssh process per host) and
 * Debian's ansible-core (ad-hoc modules and playbooks, pipelining on, facts off).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostSet, Workspace } from './workspace.js';
import { REPO_ROOT } from './workspace.js';

export interface ToolRun {
  argv: string[];
  input?: string;
  env?: NodeJS.ProcessEnv;
}

export type Kex = 'default' | 'curve25519';

export const FLEET_BIN = join(REPO_ROOT, '.fleet', 'bench', 'bench', 'fleet.js');

/** Does the built CLI know `--workers` (`fleet --help` or `fleet facts --help` lists it)? */
export function fleetKnowsWorkers(): boolean {
  return [['--help'], ['facts', '--help']].some((args) => {
    const r = spawnSync('node', [FLEET_BIN, ...args], { encoding: 'utf8' });
    return /--workers\b/.test(`${r.stdout}${r.stderr}`);
  });
}

export class Tools {
  private ansibleRuns = 0;

  constructor(
    private readonly ws: Workspace,
    private readonly set: HostSet,
    private readonly concurrency: number,
  ) {}

  /** The CLI built with the bench (bench/fleet.ts); `nodeArgs` go to node itself (--cpu-prof). */
  fleet(args: string[], nodeArgs: string[] = []): ToolRun {
    // The bench's ssh_config (ConnectTimeout as pssh's) for every command that connects.
    const ssh = args[0] === 'compile' ? [] : ['-F', this.ws.sshConfig];
    const argv = ['node', ...nodeArgs, FLEET_BIN, '-C', this.ws.repo, ...args, ...ssh];
    argv.push('-i', this.set.inventory, '--concurrency', String(this.concurrency));
    return { argv };
  }

  /** parallel-ssh on every host with the lab's keys and known_hosts (strict), `-p C`. */
  pssh(command: string, kex: Kex = 'curve25519', input?: string): ToolRun {
    const argv = ['parallel-ssh', '-h', this.set.psshHosts, '-l', 'root', '-p', String(this.concurrency)];
    argv.push('-t', '300', '-x', `-F ${this.ws.sshConfig}`);
    argv.push('-O', `UserKnownHostsFile=${this.ws.knownHosts}`, '-O', 'StrictHostKeyChecking=yes');
    if (kex === 'curve25519') argv.push('-O', 'KexAlgorithms=curve25519-sha256');
    if (input !== undefined) argv.push('-I');
    argv.push(command);
    return { argv, input };
  }

  /** `ansible all -m MODULE -a ARGS -f C`. */
  ansible(module: string, args: string): ToolRun {
    const argv = ['ansible', 'all', '-i', this.set.ansibleInventory, '-f', String(this.concurrency)];
    argv.push('-m', module, '-a', args, '-o');
    return { argv, env: this.ansibleEnv() };
  }

  /** `ansible-playbook -f C PLAYBOOK -e VARS`. */
  playbook(file: string, vars: Record<string, string> = {}): ToolRun {
    const argv = ['ansible-playbook', '-i', this.set.ansibleInventory, '-f', String(this.concurrency)];
    for (const [k, v] of Object.entries(vars)) argv.push('-e', `${k}=${v}`);
    argv.push(file);
    return { argv, env: this.ansibleEnv() };
  }

  /** Ansible's own config only (no ansible.cfg from the cwd or ~), a fresh ControlPath dir per run. */
  private ansibleEnv(): NodeJS.ProcessEnv {
    const base = join(this.ws.dir, 'ansible');
    const cp = join(base, `cp-${++this.ansibleRuns}`);
    mkdirSync(cp, { recursive: true });
    const cfg = join(base, 'ansible.cfg');
    writeFileSync(cfg, '[defaults]\nhost_key_checking = True\nretry_files_enabled = False\n');
    return {
      ...process.env,
      ANSIBLE_CONFIG: cfg,
      ANSIBLE_HOME: join(base, 'home'),
      ANSIBLE_LOCAL_TEMP: join(base, 'tmp'),
      ANSIBLE_HOST_KEY_CHECKING: 'True',
      ANSIBLE_PIPELINING: 'True',
      ANSIBLE_SSH_CONTROL_PATH_DIR: cp,
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_DEPRECATION_WARNINGS: 'False',
      ANSIBLE_TIMEOUT: '60',
    };
  }
}

/** Writes the bench's Ansible playbooks into the workspace; returns their paths. */
export function writePlaybooks(ws: Workspace): { apply: string; drift: string } {
  const dir = join(ws.dir, 'ansible');
  mkdirSync(dir, { recursive: true });
  const apply = join(dir, 'apply.yml');
  writeFileSync(apply, APPLY_PLAYBOOK);
  const drift = join(dir, 'drift.yml');
  writeFileSync(drift, DRIFT_PLAYBOOK);
  return { apply, drift };
}

/** Back up the live rules, push the compiled rulesets (they are the boot files), load them. */
const APPLY_PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: back up the live rules
      ansible.builtin.shell: >-
        mkdir -p /var/backups/bench-ansible /etc/iptables &&
        t=$(date +%Y%m%dT%H%M%S%N) &&
        iptables-save > /var/backups/bench-ansible/$t.v4 &&
        ip6tables-save > /var/backups/bench-ansible/$t.v6
    - name: push the IPv4 ruleset
      ansible.builtin.copy: { src: "{{ rules_v4 }}", dest: /etc/iptables/rules.v4, mode: "0640" }
    - name: push the IPv6 ruleset
      ansible.builtin.copy: { src: "{{ rules_v6 }}", dest: /etc/iptables/rules.v6, mode: "0640" }
    - name: load them
      ansible.builtin.shell: >-
        iptables-restore --noflush < /etc/iptables/rules.v4 &&
        ip6tables-restore --noflush < /etc/iptables/rules.v6
`;

/** Read the live rules (normalized on the host as pssh does) and compare them with the expected. */
const DRIFT_PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: read the live rules
      ansible.builtin.shell: "{ iptables-save; ip6tables-save; } | sed -e '/^#/d' -e 's/\\\\[[0-9]*:[0-9]*\\\\]$/[0:0]/'"
      register: live
      changed_when: false
    - name: compare with the expected rules
      ansible.builtin.assert:
        that: live.stdout == lookup('ansible.builtin.file', expected)
        quiet: true
`;

/** The same normalization for pssh and for capturing the expected text. */
export const NORMALIZED_SAVE = `{ iptables-save; ip6tables-save; } | sed -e '/^#/d' -e 's/\\[[0-9]*:[0-9]*\\]$/[0:0]/'`;

/** pssh drift check: expected text on stdin, the normalized live rules diffed against it. */
export const PSSH_DRIFT = `f=$(mktemp) && cat > "$f" && ${NORMALIZED_SAVE} | diff -q "$f" - >/dev/null; r=$?; rm -f "$f"; exit $r`;

export const V6_MARK = '#--fleet-bench-v6--';

/** pssh apply: back up, split stdin into the two boot files, load them (no watchdog). */
export const PSSH_APPLY = [
  'mkdir -p /var/backups/bench-pssh /etc/iptables',
  't=$(date +%Y%m%dT%H%M%S%N)',
  'iptables-save > /var/backups/bench-pssh/$t.v4',
  'ip6tables-save > /var/backups/bench-pssh/$t.v6',
  `awk '/^${V6_MARK}$/ { f = 1; next } { print > (f ? "/etc/iptables/rules.v6" : "/etc/iptables/rules.v4") }'`,
  'iptables-restore --noflush < /etc/iptables/rules.v4',
  'ip6tables-restore --noflush < /etc/iptables/rules.v6',
].join(' && ');

/** The idempotent insert an operator would run with pssh for a ban. */
export function psshBan(address: string): string {
  return `iptables -C INPUT -s ${address} -j DROP 2>/dev/null || iptables -I INPUT -s ${address} -j DROP`;
}

export function psshUnban(address: string): string {
  return `while iptables -D INPUT -s ${address} -j DROP 2>/dev/null; do :; done`;
}

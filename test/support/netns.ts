/**
 * Throwaway network namespaces with real iptables in them, for tests that load rules into the
 * kernel and read them back. Every command is an argv array; rules travel on stdin.
 * Usage: `const ns = await Netns.create(); ... await ns.destroy()` (in afterAll).
 */
import { spawn } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type Backend = 'nft' | 'legacy';

let counter = 0;

export function run(argv: readonly string[], input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.on('error', () => {}); // the tool may exit before reading all input
    child.stdin.end(input ?? '');
  });
}

/** Why namespaces cannot be used here, or undefined when they can (root, `ip`, iptables). */
export async function netnsUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    const r = await run(['iptables-restore', '--version']);
    return r.code === 0 ? undefined : `iptables-restore: ${r.stderr.trim()}`;
  } catch (e) {
    return `iptables-restore not runnable: ${(e as Error).message}`;
  }
}

function tool(family: 4 | 6, verb: 'restore' | 'save', backend: Backend): string {
  const base = family === 4 ? 'iptables' : 'ip6tables';
  return backend === 'legacy' ? `${base}-legacy-${verb}` : `${base}-${verb}`;
}

export class Netns {
  private constructor(readonly name: string) {}

  static async create(): Promise<Netns> {
    const name = `fleet-rs-${process.pid}-${counter++}`;
    const r = await run(['ip', 'netns', 'add', name]);
    if (r.code !== 0) throw new Error(`ip netns add ${name}: ${r.stderr.trim()}`);
    return new Netns(name);
  }

  exec(argv: readonly string[], input?: string): Promise<RunResult> {
    return run(['ip', 'netns', 'exec', this.name, ...argv], input);
  }

  /** iptables-restore (or ip6tables-restore) with the text on stdin; `--test` checks without loading. */
  restore(
    text: string,
    opts: { family: 4 | 6; test?: boolean; noflush?: boolean; backend?: Backend },
  ): Promise<RunResult> {
    const argv = [tool(opts.family, 'restore', opts.backend ?? 'nft')];
    if (opts.test) argv.push('--test');
    if (opts.noflush) argv.push('--noflush');
    return this.exec(argv, text);
  }

  async save(family: 4 | 6, backend: Backend = 'nft'): Promise<string> {
    const r = await this.exec([tool(family, 'save', backend)]);
    if (r.code !== 0) throw new Error(`${tool(family, 'save', backend)}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** Empty every table of both families (so the next load starts clean). */
  async reset(backend: Backend = 'nft'): Promise<void> {
    for (const family of [4, 6] as const) {
      const current = await this.save(family, backend);
      const tables = [...current.matchAll(/^\*(\w+)$/gm)].map((m) => m[1]!);
      const text = tables.map((t) => `*${t}\n${emptyChains(current, t)}COMMIT\n`).join('');
      if (text) await this.restore(text, { family, backend });
    }
  }

  async destroy(): Promise<void> {
    await run(['ip', 'netns', 'del', this.name]);
  }
}

/** `:CHAIN ACCEPT` lines for a table's built-in chains (policies reset, user chains gone). */
function emptyChains(save: string, table: string): string {
  const block = save.split(`*${table}\n`)[1]?.split('COMMIT')[0] ?? '';
  return [...block.matchAll(/^:(\S+) (ACCEPT|DROP)/gm)].map((m) => `:${m[1]} ACCEPT [0:0]\n`).join('');
}

/** `fleet lab` through the built CLI under plain node. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { skipWithoutLab, testLabName } from '../support/lab.js';

const CLI_LAB = testLabName('tcli');

function fleet(args: string[], asNobody = false): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = asNobody
    ? ['setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', 'node', 'bin/fleet.js', ...args]]
    : ['node', ['bin/fleet.js', ...args]];
  return new Promise((resolve) => {
    execFile(
      argv[0] as string,
      argv[1] as string[],
      { encoding: 'utf8', timeout: 900_000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

describe('fleet lab (CLI)', () => {
  it('without root: one line naming what to do, exit 2', async () => {
    const r = await fleet(['lab', 'up', '1', '--name', CLI_LAB], process.getuid?.() === 0);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'fleet: the lab needs root (network namespaces, mounts): run fleet lab as root',
    ]);
  });

  it('refuses a bad name or subnet before touching anything', async () => {
    const bad = await fleet(['lab', 'up', '1', '--name', 'Bad;Name']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/lab name "Bad;Name" is not valid/);
    const sub = await fleet(['lab', 'up', '1', '--name', CLI_LAB, '--subnet', '8.8.8.0/24']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/not in a private range/);
  });

  describe('with the lab', () => {
    skipWithoutLab();

    it('up, status, down', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fleet-cli-'));
      const up = await fleet(['-C', dir, 'lab', 'up', '2', '--name', CLI_LAB]);
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout).toMatch(new RegExp(`^lab ${CLI_LAB}: 2 hosts up`));
      // Only the default lab writes the repository's inventory/lab.yaml.
      expect(existsSync(join(dir, 'inventory', 'lab.yaml'))).toBe(false);
      const st = await fleet(['lab', 'status', '--name', CLI_LAB]);
      expect(st.code).toBe(0);
      expect(st.stdout).toMatch(new RegExp(`^${CLI_LAB}-01\\s+10\\.213\\.\\d+\\.10\\s+\\S+\\s+ssh ok$`, 'm'));
      expect(st.stdout).toMatch(new RegExp(`lab ${CLI_LAB}: 2/2 hosts answer SSH`));
      const down = await fleet(['lab', 'down', '--name', CLI_LAB]);
      expect(down.code).toBe(0);
      expect((await fleet(['lab', 'status', '--name', CLI_LAB])).stdout).toMatch(
        new RegExp(`^lab ${CLI_LAB}: down`),
      );
    }, 900_000); // the first lab on a fresh machine builds the base root
  });
});

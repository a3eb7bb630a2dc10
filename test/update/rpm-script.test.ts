/**
 * The update script's dnf and yum branches, run for real by /bin/sh with real coreutils — but
 * against STAND-IN dnf, yum, rpm and needs-restarting programs, for what the lab's RPM hosts
 * (Debian's dnf 4.14; test/update/rpm-lab.test.ts) cannot show: a real RHEL's and CentOS 7's yum.
 * The stand-ins print RECORDED OUTPUT FORMATS (test/fixtures/update/) and log the argv they got, so
 * this checks the commands the script builds, the exit-code handling (check-update's 100), the
 * lock retry, and the parsing of the whole sectioned output. Each run is in a private mount
 * namespace where the stand-ins are mounted over /usr/local/sbin and dpkg-query is hidden.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitWatcher } from '../../src/ops/sections.js';
import { parseUpdateOutput } from '../../src/ops/update/result.js';
import { UPDATE_SCRIPT, updateArgs } from '../../src/ops/update/script.js';
import type { UpdateOptions } from '../../src/ops/update/types.js';

const FIXTURES = new URL('../fixtures/update/', import.meta.url).pathname;
const isRoot = process.getuid?.() === 0;

const BEFORE = 'bash.x86_64 5.1.8-6.el9\ncurl.x86_64 7.76.1-26.el9_3.2\nkernel.x86_64 5.14.0-362.8.1.el9_3\n';
const AFTER = 'bash.x86_64 5.1.8-6.el9\ncurl.x86_64 7.76.1-29.el9_4\nkernel.x86_64 5.14.0-427.13.1.el9_4\n';

/** A stand-in package manager: logs its argv, fails once per `lock` file, prints a fixture. */
function fakePm(dir: string, name: string): string {
  return `#!/bin/sh
printf '%s\\n' "${name} $*" >>"${dir}/log"
if [ -f "${dir}/fail-check" ]; then cat "${FIXTURES}dnf-metadata-error.txt" >&2; exit 1; fi
for a; do case "$a" in
  check-update) cat "${FIXTURES}${name}-check-update.txt"; exit 100;;
  upgrade|update)
    if [ -f "${dir}/lock" ]; then
      [ -f "${dir}/lock-forever" ] || rm -f "${dir}/lock"
      echo "Error: RPMDB already locked by 4242" >&2; exit 1
    fi
    cat "${FIXTURES}${name === 'yum' ? 'yum-update' : 'dnf-upgrade'}.txt"; touch "${dir}/upgraded"; exit 0;;
esac; done
exit 2
`;
}

function fakeRpm(dir: string): string {
  return `#!/bin/sh
if [ -f "${dir}/upgraded" ]; then cat "${dir}/after"; else cat "${dir}/before"; fi
`;
}

function makeHost(pm: 'dnf' | 'yum'): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-rpm-'));
  mkdirSync(join(dir, 'bin'));
  const put = (name: string, text: string) => {
    writeFileSync(join(dir, 'bin', name), text);
    chmodSync(join(dir, 'bin', name), 0o755);
  };
  put(pm, fakePm(dir, pm));
  put('rpm', fakeRpm(dir));
  put('needs-restarting', `#!/bin/sh\nprintf '%s\\n' "needs-restarting $*" >>"${dir}/log"\nexit 1\n`);
  writeFileSync(join(dir, 'before'), BEFORE);
  writeFileSync(join(dir, 'after'), AFTER);
  writeFileSync(join(dir, 'update.sh'), UPDATE_SCRIPT);
  return dir;
}

const SETUP = `set -e
mount --make-rprivate /
mount --bind "$1/bin" /usr/local/sbin
mount --bind /dev/null /usr/bin/dpkg-query
dir=$1; shift
exec sh "$dir/update.sh" "$@"`;

function runScript(dir: string, opts: UpdateOptions) {
  const r = spawnSync('unshare', ['-m', 'sh', '-c', SETUP, 'setup', dir, ...updateArgs(opts)], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  const res = { code: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: false };
  return {
    result: parseUpdateOutput(res, opts),
    stdout: r.stdout,
    log: readFileSync(join(dir, 'log'), 'utf8').trim().split('\n'),
  };
}

const opts = (o: Partial<UpdateOptions>): UpdateOptions => ({
  mode: 'upgrade',
  securityOnly: false,
  lockWaitSeconds: 10,
  ...o,
});

describe.skipIf(!isRoot)('update script on stand-in dnf/yum (recorded output formats)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('dnf', () => {
    beforeEach(() => {
      dir = makeHost('dnf');
    });

    it('--check runs check-update, takes exit 100 as "updates available", pairs installed versions', () => {
      const { result, log } = runScript(dir, opts({ mode: 'check' }));
      expect(log[0]).toBe('dnf -y -q --setopt=exit_on_lock=True --refresh check-update');
      expect(result).toMatchObject({ ok: true, packageManager: 'dnf', rebootRequired: true, changed: [] });
      expect(result.pending).toHaveLength(10);
      expect(result.pending).toContainEqual({
        name: 'curl.x86_64',
        old: '7.76.1-26.el9_3.2',
        new: '7.76.1-29.el9_4',
      });
      expect(result.pending).toContainEqual({ name: 'tzdata.noarch', old: null, new: '2024a-1.el9' });
      expect(log).toContain('needs-restarting -r');
    });

    it('--security-only upgrade passes --security and reports old → new from rpm before/after', () => {
      const { result, log } = runScript(dir, opts({ securityOnly: true }));
      expect(log[0]).toBe('dnf -y -q --setopt=exit_on_lock=True --refresh --security upgrade');
      expect(result.ok).toBe(true);
      expect(result.changed).toEqual([
        { name: 'curl.x86_64', old: '7.76.1-26.el9_3.2', new: '7.76.1-29.el9_4' },
        { name: 'kernel.x86_64', old: '5.14.0-362.8.1.el9_3', new: '5.14.0-427.13.1.el9_4' },
      ]);
    });

    it('waits out a held lock: the first attempt fails on the lock, the retry succeeds', () => {
      writeFileSync(join(dir, 'lock'), '');
      const { result, log, stdout } = runScript(dir, opts({}));
      expect(log.filter((l) => l.endsWith(' upgrade'))).toHaveLength(2);
      expect(result.ok).toBe(true);
      // The wait is said while it lasts (the progress shows it), with the lock message, then its end.
      const waits: (string | null)[] = [];
      waitWatcher((w) => waits.push(w))(stdout);
      expect(waits).toHaveLength(2);
      expect(waits[0]).toMatch(/lock/);
      expect(waits[1]).toBeNull();
      expect(result.changed).toHaveLength(2);
    });

    it('gives up on a lock held past the wait, with the lock message as the error', () => {
      writeFileSync(join(dir, 'lock'), '');
      writeFileSync(join(dir, 'lock-forever'), '');
      const { result } = runScript(dir, opts({ lockWaitSeconds: 0 }));
      expect(result).toMatchObject({
        ok: false,
        failedStep: 'upgrade',
        error: 'Error: RPMDB already locked by 4242',
      });
    });

    it('a metadata failure in check-update (exit 1) fails the host with the error text', () => {
      writeFileSync(join(dir, 'fail-check'), '');
      const { result } = runScript(dir, opts({ mode: 'check' }));
      expect(result.ok).toBe(false);
      expect(result.failedStep).toBe('check');
      expect(result.error).toContain("Error: Failed to download metadata for repo 'epel'");
    });
  });

  describe('yum', () => {
    beforeEach(() => {
      dir = makeHost('yum');
    });

    it('uses `update` and no --refresh', () => {
      const { result, log } = runScript(dir, opts({}));
      expect(log[0]).toBe('yum -y -q --setopt=exit_on_lock=True update');
      expect(result).toMatchObject({ ok: true, packageManager: 'yum' });
      expect(result.changed.map((c) => c.name)).toEqual(['curl.x86_64', 'kernel.x86_64']);
    });

    it('--check lists the recorded yum check-update records', () => {
      const { result, log } = runScript(dir, opts({ mode: 'check', securityOnly: true }));
      expect(log[0]).toBe('yum -y -q --setopt=exit_on_lock=True --security check-update');
      expect(result.pending.map((p) => p.name)).toContain('openssl-libs.x86_64');
      expect(result.pending).toHaveLength(8);
    });
  });
});

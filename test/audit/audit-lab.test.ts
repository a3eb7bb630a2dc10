/**
 * `fleet audit` on 10 real lab hosts, end to end: the CLI in process, real sshd, real iptables.
 * The hosts are applied with `fleet apply` first; that audit must be clean (no warning or
 * critical finding; the only info findings allowed are `updates-pending` and `foreign-chains`).
 * Then three hosts are changed by hand (a rule inserted, the INPUT policy flipped to ACCEPT,
 * the persist file deleted): the audit must name exactly those hosts and findings, its Nagios
 * exit code and JUnit failures must agree, its JSON must validate against the published schema,
 * and its HTML report must render in headless Chromium (screenshot + the page's text).
 */
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labHostExec } from '../../src/lab/index.js';
import type { RunReport } from '../../src/model/result.js';
import { renderReport } from '../../src/report/formats.js';
import { junitOutcome } from '../../src/report/render-junit.js';
import {
  CHROMIUM,
  chromium,
  decodePng,
  PHONE,
  pageText,
  pixelsNear,
  REQUIRED,
  SHOTS,
} from '../support/chromium.js';
import { fleetCli } from '../support/cli.js';
import { useLab } from '../support/lab.js';
import { schemaErrors } from '../support/report-schema.js';

const ALLOWED_INFO = new Set(['updates-pending', 'foreign-chains']);

/** `host: severity check` for every finding of the report, sorted. */
function findingLines(report: RunReport, severities = ['critical', 'warning']): string[] {
  return report.hosts
    .flatMap((h) =>
      (h.findings ?? [])
        .filter((f) => severities.includes(f.severity))
        .map((f) => `${h.host}: ${f.severity} ${f.check}`),
    )
    .sort();
}

describe('fleet audit on 10 lab hosts', () => {
  const lab = useLab({ name: 'audit10', count: 10 });
  let dir = '';
  let changed: RunReport | undefined;
  let work = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleet-audit-lab-'));
    work = await mkdtemp(join(tmpdir(), 'fleet-audit-html-'));
    await cp('profiles', join(dir, 'profiles'), { recursive: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => fleetCli(dir, ...args, '-i', lab().inventoryPath);
  const name = (i: number) => lab().hosts[i]!.name;
  const sh = async (i: number, script: string) => {
    const r = await labHostExec(lab(), name(i), ['sh', '-c', script]);
    expect(r.ok, r.stderr).toBe(true);
  };

  it('freshly applied hosts audit clean: exit 0, Nagios OK, no warning or critical finding', async () => {
    const apply = await cli('apply', 'all');
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.report!.hosts.map((h) => h.status)).toEqual(Array(10).fill('changed'));

    const audit = await cli('audit', 'all', '--format', 'nagios');
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/^FLEET AUDIT OK - all 10 hosts ok \|/);
    const report = audit.report!;
    expect(report.hosts.map((h) => h.status)).toEqual(Array(10).fill('ok'));
    expect(findingLines(report)).toEqual([]);
    const infos = report.hosts.flatMap((h) => (h.findings ?? []).map((f) => f.check));
    expect(infos.filter((c) => !ALLOWED_INFO.has(c))).toEqual([]);
    expect(schemaErrors(report)).toEqual([]);
    const plain = await cli('audit', 'all');
    expect(plain.code).toBe(0);
  });

  it('after hand-made changes on 3 hosts, names exactly those hosts and findings', async () => {
    await sh(1, 'iptables -I INPUT -p tcp --dport 8080 -j ACCEPT');
    await sh(4, 'iptables -P INPUT ACCEPT');
    await sh(7, 'rm /etc/iptables/rules.v4');

    const audit = await cli('audit', 'all', '--format', 'nagios');
    changed = audit.report!;
    expect(changed.hosts.map((h) => h.status)).toEqual(Array(10).fill('ok'));
    expect(findingLines(changed)).toEqual(
      [
        `${name(1)}: warning drift`,
        `${name(1)}: warning rules-persisted`,
        `${name(4)}: critical policy-input-drop`,
        `${name(4)}: warning drift`,
        `${name(4)}: warning rules-persisted`,
        `${name(7)}: warning rules-persisted`,
      ].sort(),
    );
    const host = (i: number) => changed!.hosts.find((h) => h.host === name(i))!;
    expect(host(1).diff).toMatch(
      /^--- current \(iptables\)[\s\S]*\n--A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT\n/m,
    );
    expect(host(4).findings![0]!.message).toMatch(/^IPv4 INPUT policy is ACCEPT \(expected DROP\)/);
    expect(host(7).findings![0]!.message).toMatch(
      /^\/etc\/iptables\/rules\.v4 is missing: a reboot loses the rules/,
    );

    // Nagios: CRITICAL (exit 2), and the hosts it names are the three.
    expect(audit.code).toBe(2);
    expect(audit.stdout).toMatch(/^FLEET AUDIT CRITICAL - 1 of 10 hosts critical, 2 warning \|/);
    const named = audit.stdout
      .split('\n')
      .filter((l) => /^(CRITICAL|WARNING) /.test(l))
      .map((l) => l.split(' ')[1]!.replace(/:$/, ''));
    expect(named.sort()).toEqual([name(1), name(4), name(7)].sort());
    expect(renderReport(changed, 'nagios').exitCode).toBe(2);

    // JUnit: exactly those three testcases fail.
    const xml = renderReport(changed, 'junit').text;
    expect(xml).toContain('tests="10" failures="3"');
    const failed = [...xml.matchAll(/<testcase name="([^"]+)"[^>]*>\s*<failure /g)].map((m) => m[1]);
    expect(failed.sort()).toEqual([name(1), name(4), name(7)].sort());
    expect(
      changed.hosts
        .filter((h) => junitOutcome(h) === 'failed')
        .map((h) => h.host)
        .sort(),
    ).toEqual(failed.sort());

    // Without --format nagios the exit code is 1 (findings), and the JSON validates.
    const plain = await cli('audit', 'all', '--format', 'json', '--out', join(dir, 'audit.json'));
    expect(plain.code).toBe(1);
    const json = JSON.parse(await readFile(join(dir, 'audit.json'), 'utf8'));
    expect(schemaErrors(json)).toEqual([]);
    expect(findingLines(json)).toEqual(findingLines(changed));
  });

  it.skipIf(!CHROMIUM && !REQUIRED)(
    'the HTML report renders in headless Chromium: screenshot and page text',
    async () => {
      expect(changed, 'the previous test produced the report').toBeDefined();
      const html = join(work, 'audit.html');
      await writeFile(html, renderReport(changed!, 'html').text);
      await mkdir(SHOTS, { recursive: true });
      const png = join(SHOTS, 'audit-lab-phone.png');
      await rm(png, { force: true });
      await chromium(work, [
        `--screenshot=${png}`,
        `--window-size=${PHONE.width},${PHONE.height}`,
        pathToFileURL(html).href,
      ]);
      expect((await stat(png)).size).toBeGreaterThan(20_000);
      const img = decodePng(await readFile(png));
      expect([img.width, img.height]).toEqual([PHONE.width, PHONE.height]);
      expect(pixelsNear(img, [0xc0, 0x26, 0x2d])).toBeGreaterThan(200); // critical red
      expect(pixelsNear(img, [0xb3, 0x5c, 0x00])).toBeGreaterThan(100); // warning orange

      const text = pageText(await chromium(work, ['--dump-dom', pathToFileURL(html).href]));
      expect(text).toContain('fleet audit all');
      for (const h of changed!.hosts) expect(text).toContain(` ${h.host} ok `);
      expect(text).toContain('critical policy-input-drop IPv4 INPUT policy is ACCEPT (expected DROP)');
      expect(text).toContain('warning rules-persisted /etc/iptables/rules.v4 is missing');
      expect(text).toContain('-A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT');
    },
  );
});

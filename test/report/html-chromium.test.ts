/**
 * The HTML report in a real browser: Debian's headless Chromium renders it at a phone's size
 * (412×915); the screenshot must be a real picture with the status colours in it, and the DOM
 * Chromium built must hold every host name and status — and no element from hostile values.
 * Screenshots are kept in .fleet/screenshots/ to look at. Under FLEET_LAB_REQUIRED=1 (CI) a
 * missing chromium fails these tests instead of skipping them.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/render-html.js';
import { type FixtureName, fixture } from '../fixtures/reports/fixtures.js';
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

let work = '';

async function htmlFile(name: FixtureName): Promise<string> {
  const file = join(work, `${name}.html`);
  await writeFile(file, renderHtml(fixture(name)));
  return pathToFileURL(file).href;
}

describe.skipIf(!CHROMIUM && !REQUIRED)('the HTML report in headless Chromium', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'fleet-html-'));
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('renders the host table on a phone screen, with the status colours', async () => {
    const png = join(SHOTS, 'audit-mixed-phone.png');
    await rm(png, { force: true });
    await chromium(work, [
      `--screenshot=${png}`,
      `--window-size=${PHONE.width},${PHONE.height}`,
      await htmlFile('audit-mixed'),
    ]);
    expect((await stat(png)).size).toBeGreaterThan(20_000);
    const img = decodePng(await readFile(png));
    expect([img.width, img.height]).toEqual([PHONE.width, PHONE.height]);
    expect(pixelsNear(img, [0xc0, 0x26, 0x2d])).toBeGreaterThan(200); // critical red
    expect(pixelsNear(img, [0xb3, 0x5c, 0x00])).toBeGreaterThan(100); // warning orange
    expect(pixelsNear(img, [0xff, 0xff, 0xff])).toBeGreaterThan(20_000); // the cards and rows
  });

  it("builds a DOM whose text has every host's name and status", async () => {
    const report = fixture('audit-mixed');
    const dom = await chromium(work, ['--dump-dom', await htmlFile('audit-mixed')]);
    const text = pageText(dom);
    for (const h of report.hosts) expect(text).toContain(` ${h.host} ${h.status} `);
    expect(text).toContain('unreachable CRITICAL none 10.0 s connect 203.0.113.40:22: timed out after 10 s');
    expect(text).toContain('critical policy-input-drop INPUT policy is ACCEPT (expected DROP)');
    expect(dom.match(/<tr class="h-/g)).toHaveLength(report.hosts.length);
  });

  it('shows hostile values as text: the browser builds no element from them', async () => {
    const dom = await chromium(work, ['--dump-dom', await htmlFile('hostile')]);
    expect(dom).not.toMatch(/<(script|img)\b/i);
    const text = pageText(dom);
    expect(text).toContain('<script>alert("host")</script>');
    expect(text).toContain('</details></td><script>alert("finding")</script>');
    expect(text).toContain('-</pre><script>alert("diff")</script>');
  });

  it('renders a desktop-width page too', async () => {
    const png = join(SHOTS, 'audit-mixed-desktop.png');
    await rm(png, { force: true });
    await chromium(work, [`--screenshot=${png}`, '--window-size=1280,900', await htmlFile('audit-mixed')]);
    const img = decodePng(await readFile(png));
    expect([img.width, img.height]).toEqual([1280, 900]);
    expect(pixelsNear(img, [0x1b, 0x7f, 0x3a])).toBeGreaterThan(200); // ok green
  });
});

/**
 * The HTML report in a real browser: Debian's headless Chromium renders it at a phone's size
 * (412×915); the screenshot must be a real picture with the status colours in it, and the DOM
 * Chromium built must hold every host name and status — and no element from hostile values.
 * Screenshots are kept in .fleet/screenshots/ to look at. Under FLEET_LAB_REQUIRED=1 (CI) a
 * missing chromium fails these tests instead of skipping them.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/render-html.js';
import { type FixtureName, fixture } from '../fixtures/reports/fixtures.js';

const run = promisify(execFile);
const REQUIRED = process.env.FLEET_LAB_REQUIRED === '1';
const SHOTS = resolve('.fleet/screenshots');
const PHONE = { width: 412, height: 915 };

function findChromium(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of ['chromium', 'chromium-browser']) {
    const hit = dirs.map((d) => join(d, name)).find((p) => existsSync(p));
    if (hit) return hit;
  }
  return undefined;
}

const CHROMIUM = findChromium();
let work = '';

/** Chromium with the flags that keep it off the network and out of the user's profile. */
async function chromium(args: string[]): Promise<string> {
  if (!CHROMIUM)
    throw new Error('chromium is not installed (apt-get install chromium); FLEET_LAB_REQUIRED=1 needs it');
  const profile = await mkdtemp(join(work, 'profile-'));
  const base = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'];
  const quiet = ['--disable-background-networking', '--disable-component-update', '--disable-sync'];
  const { stdout } = await run(CHROMIUM, [...base, ...quiet, `--user-data-dir=${profile}`, ...args], {
    timeout: 90_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

async function htmlFile(name: FixtureName): Promise<string> {
  const file = join(work, `${name}.html`);
  await writeFile(file, renderHtml(fixture(name)));
  return pathToFileURL(file).href;
}

/** The text a reader sees: tags dropped, the entities renderHtml writes decoded. */
function pageText(dom: string): string {
  const body = dom.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ');
  return body
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

interface Image {
  width: number;
  height: number;
  /** RGB per pixel. */
  pixels: Uint8Array;
}

/** A minimal PNG decoder (8-bit RGB or RGBA, not interlaced): enough to look at the pixels. */
function decodePng(png: Buffer): Image {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const [depth, colour, , , interlace] = png.subarray(24, 29);
  expect({ depth, interlace, colour: colour === 2 || colour === 6 }).toEqual({
    depth: 8,
    interlace: 0,
    colour: true,
  });
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += len + 12;
  }
  const bpp = colour === 6 ? 4 : 3;
  return {
    width,
    height,
    pixels: toRgb(unfilter(inflateSync(Buffer.concat(idat)), width, height, bpp), bpp),
  };
}

function unfilter(raw: Buffer, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= bpp ? out[y * stride + x - bpp]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp]! : 0;
      out[y * stride + x] = (v + predict(filter, a, b, c)) & 0xff;
    }
  }
  return out;
}

function predict(filter: number, a: number, b: number, c: number): number {
  if (filter === 0) return 0;
  if (filter === 1) return a;
  if (filter === 2) return b;
  if (filter === 3) return (a + b) >> 1;
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function toRgb(data: Uint8Array, bpp: number): Uint8Array {
  if (bpp === 3) return data;
  const out = new Uint8Array((data.length / 4) * 3);
  for (let i = 0, j = 0; i < data.length; i += 4, j += 3) out.set(data.subarray(i, i + 3), j);
  return out;
}

/** Pixels within a small distance of a colour (colour management may move it a little). */
function pixelsNear(img: Image, [r, g, b]: [number, number, number], tolerance = 6): number {
  let n = 0;
  for (let i = 0; i < img.pixels.length; i += 3) {
    const d =
      Math.abs(img.pixels[i]! - r) + Math.abs(img.pixels[i + 1]! - g) + Math.abs(img.pixels[i + 2]! - b);
    if (d <= tolerance) n++;
  }
  return n;
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
    await chromium([
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
    const dom = await chromium(['--dump-dom', await htmlFile('audit-mixed')]);
    const text = pageText(dom);
    for (const h of report.hosts) expect(text).toContain(` ${h.host} ${h.status} `);
    expect(text).toContain('unreachable CRITICAL none 10.0 s connect 203.0.113.40:22: timed out after 10 s');
    expect(text).toContain('critical policy-input-drop INPUT policy is ACCEPT (expected DROP)');
    expect(dom.match(/<tr class="h-/g)).toHaveLength(report.hosts.length);
  });

  it('shows hostile values as text: the browser builds no element from them', async () => {
    const dom = await chromium(['--dump-dom', await htmlFile('hostile')]);
    expect(dom).not.toMatch(/<(script|img)\b/i);
    const text = pageText(dom);
    expect(text).toContain('<script>alert("host")</script>');
    expect(text).toContain('</details></td><script>alert("finding")</script>');
    expect(text).toContain('-</pre><script>alert("diff")</script>');
  });

  it('renders a desktop-width page too', async () => {
    const png = join(SHOTS, 'audit-mixed-desktop.png');
    await rm(png, { force: true });
    await chromium([`--screenshot=${png}`, '--window-size=1280,900', await htmlFile('audit-mixed')]);
    const img = decodePng(await readFile(png));
    expect([img.width, img.height]).toEqual([1280, 900]);
    expect(pixelsNear(img, [0x1b, 0x7f, 0x3a])).toBeGreaterThan(200); // ok green
  });
});

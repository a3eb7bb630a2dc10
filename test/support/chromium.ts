/**
 * Debian's headless Chromium for tests: find it, run it off the network with a throwaway
 * profile, read the text of the DOM it built, and look at the pixels of its screenshots (a
 * minimal PNG decoder). Used by the HTML report tests (test/report, test/audit).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { expect } from 'vitest';

const run = promisify(execFile);
/** Under FLEET_LAB_REQUIRED=1 (CI) a missing chromium fails the tests instead of skipping them. */
export const REQUIRED = process.env.FLEET_LAB_REQUIRED === '1';
/** Screenshots are kept here to look at. */
export const SHOTS = resolve('.fleet/screenshots');
export const PHONE = { width: 412, height: 915 };

function findChromium(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of ['chromium', 'chromium-browser']) {
    const hit = dirs.map((d) => join(d, name)).find((p) => existsSync(p));
    if (hit) return hit;
  }
  return undefined;
}

export const CHROMIUM = findChromium();

/**
 * Chromium with the flags that keep it off the network and out of the user's profile (a fresh
 * one under `work`); returns its stdout (the DOM with --dump-dom).
 */
export async function chromium(work: string, args: string[]): Promise<string> {
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

/** The text a reader sees: tags dropped, the entities renderHtml writes decoded. */
export function pageText(dom: string): string {
  const body = dom.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ');
  return body
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

export interface Image {
  width: number;
  height: number;
  /** RGB per pixel. */
  pixels: Uint8Array;
}

/** A minimal PNG decoder (8-bit RGB or RGBA, not interlaced): enough to look at the pixels. */
export function decodePng(png: Buffer): Image {
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
export function pixelsNear(img: Image, [r, g, b]: [number, number, number], tolerance = 6): number {
  let n = 0;
  for (let i = 0; i < img.pixels.length; i += 3) {
    const d =
      Math.abs(img.pixels[i]! - r) + Math.abs(img.pixels[i + 1]! - g) + Math.abs(img.pixels[i + 2]! - b);
    if (d <= tolerance) n++;
  }
  return n;
}

/** Does a host's sshd answer? A TCP connect and the SSH banner, nothing more. */
import { Socket } from 'node:net';
import { run } from './exec.js';

/** Connect from the workstation and read the first line; resolves the banner or undefined. */
export function readBanner(address: string, port = 22, timeoutMs = 3000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = new Socket();
    let buf = '';
    const done = (v: string | undefined) => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(timeoutMs, () => done(undefined));
    s.on('error', () => done(undefined));
    s.on('data', (b: Buffer) => {
      buf += b.toString('latin1');
      const nl = buf.indexOf('\n');
      if (nl >= 0) done(buf.startsWith('SSH-') ? buf.slice(0, nl).trim() : undefined);
    });
    s.connect(port, address);
  });
}

/** Fixed script: $1 address; prints the banner line of the sshd there. */
const BANNER = 'exec 3<>"/dev/tcp/$1/22" && head -n 1 <&3';

/** The banner of a host the workstation cannot reach, read from inside its own namespace. */
export async function readBannerInNetns(
  netns: string,
  address: string,
  timeoutS = 3,
): Promise<string | undefined> {
  const r = await run('ip', [
    'netns',
    'exec',
    netns,
    'timeout',
    String(timeoutS),
    'bash',
    '-c',
    BANNER,
    'banner',
    address,
  ]);
  const line = r.stdout.trim();
  return r.ok && line.startsWith('SSH-') ? line : undefined;
}

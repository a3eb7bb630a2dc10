/**
 * `--reboot-if-needed`: reboot a host whose update asked for it, and wait until it is back.
 * "Back" means a NEW connection works and the host's boot marker changed: the kernel's boot_id
 * plus the start time of pid 1 (so a container or lab host restarted without a new kernel boot
 * counts too). The reboot is detached (setsid, after a short sleep) so the exec channel returns
 * before the host goes down. The reboot command is fleet's own constant text.
 */
import type { RemoteSession } from '../../remote/types.js';
import { parseSections, SECTION_FN } from '../sections.js';

export const BOOT_MARKER_SCRIPT = `
printf '%s ' "$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)"
awk '{ print $22 }' /proc/1/stat 2>/dev/null
`;

export const REBOOT_SCRIPT = `
${SECTION_FN}
section marker
${BOOT_MARKER_SCRIPT}
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then how='systemctl reboot'
elif command -v shutdown >/dev/null 2>&1; then how='shutdown -r now'
else how='reboot'; fi
section how
echo "$how"
setsid sh -c "sleep 2; $how" >/dev/null 2>&1 </dev/null &
section end
`;

export interface RebootOutcome {
  ok: boolean;
  /** How long the host took to come back, in ms. */
  ms: number;
  error?: string;
}

export async function readBootMarker(session: RemoteSession, timeoutMs = 15_000): Promise<string> {
  const res = await session.run(BOOT_MARKER_SCRIPT, { timeoutMs });
  if (res.code !== 0)
    throw new Error(`cannot read the boot marker: ${res.stderr.trim() || `exit ${res.code}`}`);
  return res.stdout.trim();
}

/** Ask the host to reboot; returns its boot marker from before the reboot. */
export async function requestReboot(session: RemoteSession): Promise<string> {
  const res = await session.run(REBOOT_SCRIPT, { timeoutMs: 15_000 });
  const s = parseSections(res.stdout);
  if (res.code !== 0 || !s.has('end'))
    throw new Error(`reboot request failed: ${res.stderr.trim() || `exit ${res.code}`}`);
  return (s.get('marker') ?? '').trim();
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

/** Poll with new connections until the boot marker differs from `before`, or time runs out. */
export async function waitForReboot(
  connect: () => Promise<RemoteSession>,
  before: string,
  opts: WaitOptions,
): Promise<RebootOutcome> {
  const started = Date.now();
  let last = 'no answer yet';
  while (Date.now() - started < opts.timeoutMs && !opts.signal?.aborted) {
    await sleep(opts.intervalMs ?? 5_000);
    const probe = await probeMarker(connect);
    if (probe.marker !== undefined && probe.marker !== before) return { ok: true, ms: Date.now() - started };
    last = probe.error ?? 'still on the same boot';
  }
  const secs = Math.round(opts.timeoutMs / 1000);
  return { ok: false, ms: Date.now() - started, error: `not back from reboot within ${secs}s (${last})` };
}

async function probeMarker(
  connect: () => Promise<RemoteSession>,
): Promise<{ marker?: string; error?: string }> {
  try {
    const session = await connect();
    try {
      return { marker: await readBootMarker(session) };
    } finally {
      await session.close().catch(() => {});
    }
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

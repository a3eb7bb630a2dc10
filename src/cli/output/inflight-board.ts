/** What the TTY display shows: counts, and one line per host in flight with its current step. */

import type { EngineEvent } from '../../engine/events.js';
import { BAD_STATUSES } from '../../model/result.js';
import { clip } from '../../report/summary-format.js';
import { terminalText } from '../../report/terminal-text.js';

export class InflightBoard {
  private readonly inflight = new Map<string, string>();
  /** Why a host in flight waits (`apt's lock (held by pid 1234 apt-get)`), until its next step. */
  private readonly waiting = new Map<string, string>();
  private total = 0;
  private done = 0;
  private bad = 0;
  private stopping?: string;
  /** The wave in flight (`canary`, `batch 2/3`); none when all hosts go at once. */
  private wave?: string;

  apply(e: EngineEvent): void {
    if (e.kind === 'run-start') this.total = e.total;
    else if (e.kind === 'host-start') this.inflight.set(e.host, 'start');
    else if (e.kind === 'step') this.stepTo(e.host, e.step);
    else if (e.kind === 'wait') this.waitFor(e.host, e.reason);
    else if (e.kind === 'run-stopped') this.stopping = e.reason;
    else if (e.kind === 'wave-start') this.wave = e.label === 'all' ? undefined : e.name;
    else if (e.kind === 'host-done') this.finish(e.host, BAD_STATUSES.has(e.result.status));
  }

  private stepTo(host: string, step: string): void {
    this.inflight.set(host, step);
    this.waiting.delete(host);
  }

  private waitFor(host: string, reason: string | null): void {
    if (reason === null) this.waiting.delete(host);
    else if (this.inflight.has(host)) this.waiting.set(host, reason);
  }

  private finish(host: string, bad: boolean): void {
    this.inflight.delete(host);
    this.waiting.delete(host);
    this.done += 1;
    if (bad) this.bad += 1;
  }

  /** `apply [batch 2/3]: 12/300 done, 2 failed, 50 in flight` (+ why it is stopping). */
  title(command: string): string {
    const wave = this.wave ? ` [${this.wave}]` : '';
    const failed = this.bad ? `, ${this.bad} failed` : '';
    const stop = this.stopping ? ` — stopping: ${this.stopping}` : '';
    return `${command}${wave}: ${this.done}/${this.total} done${failed}, ${this.inflight.size} in flight${stop}`;
  }

  /**
   * At most `max` lines (`web-01  backup`, `web-02  lock: waiting for fleet's lock held by …`),
   * the last one saying how many more are not shown.
   */
  lines(max: number, width = 80): string[] {
    const entries = [...this.inflight.entries()];
    const shown = entries.length > max ? entries.slice(0, Math.max(max - 1, 0)) : entries;
    const pad = Math.max(0, ...shown.map(([h]) => h.length));
    const lines = shown.map(([host, step]) => {
      const wait = this.waiting.get(host);
      const what = wait === undefined ? step : `${step}: waiting for ${wait}`;
      return clip(terminalText(`${host.padEnd(pad)}  ${what}`), width);
    });
    if (shown.length < entries.length) lines.push(`… and ${entries.length - shown.length} more`);
    return lines;
  }
}

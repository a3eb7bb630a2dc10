/**
 * JUnit XML for CI: one <testsuite> for the run, one <testcase> per host (name = host,
 * classname = `fleet.<command>`).
 *
 * A testcase gets ONE <failure> when the host is CRITICAL or WARNING on the Nagios scale: a bad
 * status (failed, unreachable, rolled-back), a critical finding or a warning finding. The
 * failure's `type` is the bad status if there is one, else the worst severity; its text lists
 * the status and every critical and warning finding. A skipped host is <skipped/>. Info
 * findings and the diff go to <system-out>. So the failed testcases are exactly the hosts that
 * the Nagios output names as not OK (skipped hosts aside).
 */
import type { HostResult, RunReport } from '../model/result.js';
import { BAD_STATUSES } from '../model/result.js';
import { hostHealth, runSeconds, sortedFindings } from './render-common.js';

export function renderJunit(report: RunReport): string {
  const name = `fleet ${report.command} ${report.selector}`;
  const counts = suiteCounts(report);
  const attrs = `tests="${report.hosts.length}" failures="${counts.failures}" errors="0" skipped="${counts.skipped}" time="${seconds(runSeconds(report) * 1000)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(name)}" ${attrs}>`,
    `  <testsuite name="${xml(name)}" ${attrs} timestamp="${xml(timestamp(report.startedAt))}">`,
    properties(report),
    ...report.hosts.map((h) => testcase(h, report.command)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Which hosts fail: the rule in this file's header, as a function the tests share. */
export function junitOutcome(host: HostResult): 'passed' | 'failed' | 'skipped' {
  const health = hostHealth(host);
  if (health === 'critical' || health === 'warning') return 'failed';
  return host.status === 'skipped' ? 'skipped' : 'passed';
}

function suiteCounts(report: RunReport): { failures: number; skipped: number } {
  const outcomes = report.hosts.map(junitOutcome);
  return {
    failures: outcomes.filter((o) => o === 'failed').length,
    skipped: outcomes.filter((o) => o === 'skipped').length,
  };
}

function properties(report: RunReport): string {
  const props: [string, string][] = [
    ['command', report.command],
    ['selector', report.selector],
    ['startedAt', report.startedAt],
    ['finishedAt', report.finishedAt],
    ['stopped', String(report.stopped)],
  ];
  if (report.stopReason !== undefined) props.push(['stopReason', report.stopReason]);
  const lines = props.map(([k, v]) => `      <property name="${xml(k)}" value="${xml(v)}"/>`);
  return ['    <properties>', ...lines, '    </properties>'].join('\n');
}

function testcase(host: HostResult, command: string): string {
  const open = `    <testcase name="${xml(host.host)}" classname="${xml(`fleet.${command}`)}" time="${seconds(host.durationMs)}">`;
  const body = [outcomeElement(host), systemOut(host)].filter((s) => s !== '');
  return [open, ...body, '    </testcase>'].join('\n');
}

function outcomeElement(host: HostResult): string {
  const outcome = junitOutcome(host);
  if (outcome === 'skipped') return `      <skipped message="${xml(`skipped: ${host.detail}`)}"/>`;
  if (outcome === 'passed') return '';
  const bad = sortedFindings(host).filter((f) => f.severity !== 'info');
  const type = BAD_STATUSES.has(host.status) ? host.status : (bad[0]?.severity ?? 'warning');
  const message = BAD_STATUSES.has(host.status)
    ? `${host.status}: ${host.detail}`
    : failureMessage(bad.length);
  const text = [
    `status: ${host.status} - ${host.detail}`,
    ...bad.map((f) => `${f.severity} ${f.check}: ${f.message}`),
  ].join('\n');
  return `      <failure type="${xml(type)}" message="${xml(message)}">${xmlText(text)}</failure>`;
}

function failureMessage(findings: number): string {
  return findings === 1 ? '1 finding' : `${findings} findings`;
}

function systemOut(host: HostResult): string {
  const info = sortedFindings(host)
    .filter((f) => f.severity === 'info')
    .map((f) => `info ${f.check}: ${f.message}`);
  const parts = [`${host.status}: ${host.detail}`, ...info];
  if (host.diff) parts.push('', host.diff);
  return `      <system-out>${xmlText(parts.join('\n'))}</system-out>`;
}

/** JUnit's timestamp has no zone: the UTC time without its `Z` and fraction. */
function timestamp(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 19) : iso;
}

function seconds(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? (ms / 1000).toFixed(3) : '0.000';
}

/**
 * Escapes text for an XML 1.0 attribute value (line breaks and tabs as character references,
 * so attribute-value normalization keeps them). Characters XML 1.0 cannot carry at all (most
 * control characters, lone surrogates, U+FFFE/U+FFFF) become U+FFFD.
 */
export function xml(text: string): string {
  return xmlText(text).replaceAll('"', '&quot;').replaceAll('\t', '&#9;').replaceAll('\n', '&#10;');
}

/** Escapes text for XML 1.0 element content (line breaks kept as they are, except CR). */
export function xmlText(text: string): string {
  return text
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    )
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll("'", '&apos;')
    .replaceAll('\r', '&#13;');
}

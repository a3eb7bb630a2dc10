/**
 * `--formats html,junit` (or `formats:` in fleet.yaml): every run also leaves its report in these
 * formats beside reports/<time>-<command>.json, same name, the format's extension.
 */
import type { RunReport } from '../model/result.js';
import { extensionFor, type ReportFormat, renderReport } from '../report/formats.js';
import { writeAtomic } from './commands/report.js';

/** Writes each format (json is the report file itself) and returns the paths written. */
export async function writeBeside(
  jsonPath: string,
  report: RunReport,
  formats: readonly ReportFormat[] = [],
): Promise<string[]> {
  const base = jsonPath.replace(/\.json$/, '');
  const written: string[] = [];
  for (const format of new Set(formats)) {
    if (format === 'json') continue;
    const file = `${base}.${extensionFor(format)}`;
    await writeAtomic(file, renderReport(report, format).text);
    written.push(file);
  }
  return written;
}

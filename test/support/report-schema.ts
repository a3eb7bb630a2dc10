/**
 * The published report schema (schemas/report.v1.schema.json) compiled with ajv (draft 2020-12,
 * strict), and `schemaErrors(value)`: what is wrong with a value as a v1 report ([] when valid).
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { TIMESTAMP_PATTERN } from '../../src/report/load-report.js';

export const REPORT_SCHEMA = JSON.parse(readFileSync('schemas/report.v1.schema.json', 'utf8'));
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addFormat('date-time', {
  type: 'string',
  validate: (s: string) => TIMESTAMP_PATTERN.test(s) && !Number.isNaN(Date.parse(s)),
});
const validate = ajv.compile(REPORT_SCHEMA);

export function schemaErrors(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

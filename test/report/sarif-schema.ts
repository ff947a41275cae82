/**
 * The OASIS SARIF 2.1.0 schema, read from ../shared/schemas/ next to the repository (never copied
 * into it). Returns null (with the reason) when the file is not there, so tests can skip loudly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';

/** dist/test/report/ -> repository root. */
export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
export const sarifSchemaPath = resolve(repoRoot, '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json');

export type Validate = ((data: unknown) => boolean) & { errors?: unknown };

export function sarifValidator(): { validate: Validate } | { missing: string } {
  if (!existsSync(sarifSchemaPath)) return { missing: `SARIF schema not found at ${sarifSchemaPath}` };
  const schema = JSON.parse(readFileSync(sarifSchemaPath, 'utf8')) as object;
  // ajv-draft-04 is CommonJS: under NodeNext its class is the `default` of the imported value.
  type AjvClass = typeof AjvDraft04.default;
  const mod = AjvDraft04 as unknown as { default?: AjvClass };
  const Ctor: AjvClass = mod.default ?? (AjvDraft04 as unknown as AjvClass);
  const ajv = new Ctor({ strict: false, allErrors: true });
  // The schema's formats, checked with the WHATWG URL parser and Date.parse.
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/'));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return { validate: ajv.compile(schema) as Validate };
}

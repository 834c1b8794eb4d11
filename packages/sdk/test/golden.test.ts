import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCurveScript, toHex } from '../src/index.ts';

/**
 * Golden files for every example: the parsed statements and the compiled template (fields,
 * bytes, hash). A change to either is a change to the language or the template format and
 * must be deliberate: regenerate with `UPDATE_GOLDEN=1 npx vitest run packages/sdk/test/golden.test.ts`
 * and review the diff.
 */
const examplesDir = join(import.meta.dirname, '..', '..', '..', 'examples');
const goldenDir = join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

const json = (value: unknown) =>
  `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;

describe('golden parse and compile of every example', () => {
  const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.curve'));
  it('has the five shapes', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });
  for (const file of examples) {
    it(file, () => {
      const result = compileCurveScript(readFileSync(join(examplesDir, file), 'utf8'));
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.ok).toBe(true);
      const compiled = result.compiled!;
      const actual = json({
        statements: result.script.statements,
        template: compiled.template,
        bytes: toHex(compiled.bytes),
        templateHash: compiled.templateHash,
        notes: result.diagnostics.filter((d) => d.severity === 'note'),
      });
      const goldenFile = join(goldenDir, file.replace(/\.curve$/, '.json'));
      if (update) writeFileSync(goldenFile, actual);
      expect(actual).toBe(readFileSync(goldenFile, 'utf8'));
    });
  }
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCurveScript, formatDiagnostic } from '../src/index.ts';

/**
 * One fixture per rejection rule of notes/curvescript.md. Each file states the diagnostics
 * it must produce in `# expect: line:col: message` comments; the test asserts exactly those
 * errors, in order, and nothing else.
 */
const dir = join(import.meta.dirname, 'fixtures', 'rejections');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.curve'));

function expectations(source: string): string[] {
  return source
    .split('\n')
    .filter((l) => l.startsWith('# expect: '))
    .map((l) => l.slice('# expect: '.length).trim());
}

describe('every rejection rule reports its exact position and message', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });
  for (const file of fixtures) {
    it(file, () => {
      const source = readFileSync(join(dir, file), 'utf8');
      const expected = expectations(source);
      expect(expected.length).toBeGreaterThan(0);
      const result = compileCurveScript(source);
      expect(result.ok).toBe(false);
      const errors = result.diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => formatDiagnostic('f', d).replace(/^f:/, '').replace(': error: ', ': '));
      expect(errors).toEqual(expected);
    });
  }
});

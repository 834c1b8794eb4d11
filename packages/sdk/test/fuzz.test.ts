import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCurveScript, KEYWORDS } from '../src/index.ts';

/**
 * Parser fuzzing: any input, random or a mutation of a real script, gives diagnostics or a
 * template — never an exception, never a hang (each run is bounded by the test timeout,
 * and the lexer bounds line length).
 */
const examplesDir = join(import.meta.dirname, '..', '..', '..', 'examples');
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.curve'))
  .map((f) => readFileSync(join(examplesDir, f), 'utf8'));

function compilesOrReports(source: string): void {
  const result = compileCurveScript(source);
  if (result.ok) {
    expect(result.compiled?.bytes.length).toBeGreaterThan(0);
  } else {
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    for (const d of result.diagnostics) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.col).toBeGreaterThanOrEqual(1);
      expect(d.message.length).toBeGreaterThan(0);
    }
  }
}

const vocabulary = [
  ...KEYWORDS,
  'sol',
  'lamports',
  'tokens',
  '%',
  'bps',
  'blocks',
  'days',
  'symbol',
  'when',
  'sold',
  'raised',
  'to',
  'amm',
  'lp',
  'burn',
  'creator',
  'vest',
  'cliff',
  'every',
  'from',
  'until',
  'linear',
  'sigmoid',
  'exponential',
  'piecewise',
  'constant_product',
  '"Name"',
  'ABC',
  '0',
  '1',
  '1_000',
  '0.5',
  '18446744073709551616',
  '#',
  '"',
  '\\',
  '\t',
  '__proto__',
  'constructor',
  'toString',
  '_1',
  '1__0',
  '99999999999999999999999999999',
  'é',
  '🚀',
];

describe('parser fuzzing', () => {
  it('random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => compilesOrReports(s)),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });

  it('random token soup from the language vocabulary', () => {
    const line = fc.array(fc.constantFrom(...vocabulary), { maxLength: 12 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => compilesOrReports(lines.join('\n'))),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });

  it('mutated examples: deleted, duplicated, swapped and corrupted lines and characters', () => {
    const mutation = fc.record({
      example: fc.nat(examples.length - 1),
      ops: fc.array(
        fc.record({ kind: fc.nat(4), at: fc.nat(10_000), text: fc.constantFrom(...vocabulary) }),
        { minLength: 1, maxLength: 6 },
      ),
    });
    fc.assert(
      fc.property(mutation, ({ example, ops }) => {
        let lines = examples[example]!.split('\n');
        for (const op of ops) {
          const i = op.at % Math.max(1, lines.length);
          if (op.kind === 0) lines.splice(i, 1);
          else if (op.kind === 1) lines.splice(i, 0, lines[i] ?? '');
          else if (op.kind === 2) lines = [...lines.slice(i), ...lines.slice(0, i)];
          else if (op.kind === 3) lines[i] = `${lines[i] ?? ''} ${op.text}`;
          else {
            const l = lines[i] ?? '';
            const c = op.at % Math.max(1, l.length);
            lines[i] = l.slice(0, c) + op.text + l.slice(c + 1);
          }
        }
        compilesOrReports(lines.join('\n'));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
    );
  });

  it('pathological inputs', () => {
    for (const s of [
      '',
      '\n'.repeat(10_000),
      'x'.repeat(100_000),
      `launch "${'a'.repeat(5_000)}" symbol A`,
      '"'.repeat(999),
      '1'.repeat(900),
      `launch "X" symbol XX\nsupply ${'9'.repeat(500)} tokens`,
      '\u0000\u0001\uffff',
      'launch "A\\" symbol',
    ]) {
      compilesOrReports(s);
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileAndProve, shutdownProver } from '../src/curvescript/prover/index.ts';
import { compileCurveScript } from '../src/index.ts';

/**
 * The rejection fixtures whose rule is a proof obligation, through Z3 this time: the solver
 * refutes each one at the same line and column, naming the same obligation, as the exact
 * evaluation does (its counterexample may pick another failing check).
 */
const dir = join(import.meta.dirname, 'fixtures', 'rejections');
const obligationFixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.curve'))
  .map((f) => ({ file: f, source: readFileSync(join(dir, f), 'utf8') }))
  .filter(({ source }) => source.includes('# expect: ') && / proof failed: /.test(source.split('\n')[0]!));

afterAll(() => shutdownProver());

describe('obligation rejections, proved by Z3', () => {
  it('covers every obligation kind', () => {
    const names = new Set(
      obligationFixtures.map(({ source }) => /\((\w+);/.exec(source.split('\n')[0]!)?.[1]),
    );
    expect(names).toEqual(
      new Set([
        'no_u64_overflow',
        'price_non_decreasing',
        'reserve_floor',
        'migration_reachable',
        'migration_pool_nonempty',
      ]),
    );
  });

  for (const { file, source } of obligationFixtures) {
    it(file, async () => {
      const exact = compileCurveScript(source).diagnostics.filter((d) => d.severity === 'error');
      const { result, proof } = await compileAndProve(source, {});
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      expect(result.ok).toBe(false);
      expect(errors).toHaveLength(1);
      expect({ line: errors[0]!.line, col: errors[0]!.col }).toEqual({
        line: exact[0]!.line,
        col: exact[0]!.col,
      });
      const upToCounterexample = (m: string) => m.slice(0, m.indexOf(';'));
      expect(upToCounterexample(errors[0]!.message)).toBe(upToCounterexample(exact[0]!.message));
      expect(errors[0]!.message).toMatch(/counterexample: check = \w+/);
      const refuted = proof?.obligations.filter((o) => o.result === 'refuted') ?? [];
      expect(refuted.map((o) => o.name)).toContain(/\((\w+);/.exec(exact[0]!.message)?.[1]);
      expect(refuted[0]?.counterexample).toBeDefined();
    });
  }
});

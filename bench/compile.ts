/**
 * Compile + prove time per example: parse/check/encode (the pure compiler, no solver), then
 * every proof obligation through Z3. Medians of several runs; the solver is initialised once
 * beforehand (its start-up is reported separately). Run: node_modules/.bin/tsx bench/compile.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compileAndProve,
  shutdownProver,
  solverVersion,
} from '../packages/sdk/src/curvescript/prover/index.ts';
import { compileCurveScript } from '../packages/sdk/src/index.ts';
import { report } from './lib/report.ts';

const RUNS = 5;
const examplesDir = join(import.meta.dirname, '..', 'examples');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const initStart = performance.now();
const solver = await solverVersion();
const initMs = performance.now() - initStart;

const rows = [];
for (const file of readdirSync(examplesDir)
  .filter((f) => f.endsWith('.curve'))
  .sort()) {
  const source = readFileSync(join(examplesDir, file), 'utf8');
  const compileMs: number[] = [];
  const totalMs: number[] = [];
  let obligations = 0;
  let smtBytes = 0;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    compileCurveScript(source, { evaluateObligations: true });
    compileMs.push(performance.now() - t);
    t = performance.now();
    const { result, proof } = await compileAndProve(source, {});
    totalMs.push(performance.now() - t);
    if (!result.ok || !proof) throw new Error(`${file} does not compile`);
    obligations = proof.obligations.length;
    smtBytes = proof.obligations.reduce((sum, o) => sum + o.smtlib.length, 0);
  }
  rows.push({
    example: file,
    obligations,
    'SMT-LIB bytes': smtBytes,
    'compile ms (no solver)': median(compileMs),
    'compile+prove ms': median(totalMs),
  });
}
await shutdownProver();

report({
  name: 'compile',
  title: `compile + prove per example (median of ${RUNS}; Z3 start-up ${initMs.toFixed(0)} ms, once per process)`,
  rows,
  meta: { solver, runs: RUNS, solverInitMs: initMs },
});

/**
 * `@assetl2/sdk/prover`: discharges a template's proof obligations with Z3 (z3-solver,
 * WebAssembly) and builds proof.json. The only module that loads z3-solver; Node only.
 *
 * Each query runs in a fresh Z3 context (a few ms; `(reset)` would keep recursive function
 * definitions around) and is bounded by Z3's deterministic resource limit `rlimit`, never by
 * wall time, so a verdict is the same on every machine. `ms` is measured for the report only.
 */
import { createRequire } from 'node:module';
import { type CompileResult, compileCurveScript, obligationFailure } from '../compiler.ts';
import { type Diagnostic, hasErrors, sortDiagnostics } from '../diagnostics.ts';
import { buildObligations, type Obligation } from '../obligations/index.ts';
import type { CurveTemplate } from '../template.ts';

export type ProofResult = 'proved' | 'refuted' | 'unknown';

export interface ObligationProof {
  readonly name: string;
  readonly description: string;
  readonly smtlib: string;
  readonly result: ProofResult;
  /** Refuted only: the model's failing check (`check`) and its witness values. */
  readonly counterexample?: Record<string, string>;
  readonly ms: number;
}

/** proof.json. */
export interface ProofReport {
  readonly templateHash: string;
  readonly solver: string;
  readonly allowUnproven: boolean;
  readonly obligations: readonly ObligationProof[];
}

export interface ProveOptions {
  /** Accept `unknown` verdicts (recorded in the report; refuted still fails). */
  readonly allowUnproven?: boolean;
  /** Z3 resource limit per obligation (default DEFAULT_RLIMIT). */
  readonly rlimit?: number;
}

/**
 * Per obligation. The examples need 10^3 to 10^5 units and the largest templates (4096
 * exponential steps with a floor) about 10^6 (about a second); 20× that margin keeps every
 * decidable query decided on any Z3 build without letting a stuck one run for long.
 */
export const DEFAULT_RLIMIT = 20_000_000;

type Z3Module = typeof import('z3-solver');
type Z3Api = Awaited<ReturnType<Z3Module['init']>>;

interface Solver {
  readonly module: Z3Module;
  readonly api: Z3Api;
  readonly version: string;
}

let solver: Promise<Solver> | undefined;
/** Queries run one at a time (one WebAssembly instance). */
let queue: Promise<unknown> = Promise.resolve();

function loadSolver(): Promise<Solver> {
  solver ??= (async () => {
    const module = await import('z3-solver');
    const api = await module.init();
    const v = api.Z3.get_version();
    let pkg = 'unknown';
    try {
      pkg = (createRequire(import.meta.url)('z3-solver/package.json') as { version: string }).version;
    } catch {
      // The version string is informative only.
    }
    return { module, api, version: `z3 ${v.major}.${v.minor}.${v.build_number} (z3-solver ${pkg})` };
  })();
  return solver;
}

function serialized<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/** "z3 x.y.z (z3-solver a.b.c)"; loads Z3 on first use (about 0.4 s). */
export async function solverVersion(): Promise<string> {
  return (await loadSolver()).version;
}

/** Terminates Z3's worker threads so the process can exit; Z3 is reloaded on the next query. */
export async function shutdownProver(): Promise<void> {
  const pending = solver;
  if (!pending) return;
  solver = undefined;
  await queue.catch(() => undefined);
  const { module, api } = await pending;
  await module.killThreads(api.em);
}

export interface SmtOutcome {
  readonly result: ProofResult;
  /** The model of a `sat` answer: constant name → value. */
  readonly model?: Record<string, string>;
  /** Resource units Z3 spent (the measure `rlimit` bounds). */
  readonly rlimitUsed?: number;
}

/**
 * Runs one SMT-LIB script (ending in a single `(check-sat)`) under `rlimit` in a fresh context:
 * unsat → proved, sat → refuted (with its model), anything else → unknown. An `(error …)` in
 * Z3's output is a bug in the script and throws.
 */
export function runSmt(script: string, rlimit: number = DEFAULT_RLIMIT): Promise<SmtOutcome> {
  return serialized(async () => {
    const { api } = await loadSolver();
    const Z3 = api.Z3;
    const config = Z3.mk_config();
    const ctx = Z3.mk_context(config);
    Z3.del_config(config);
    try {
      const out = await evalSmtlib(
        api,
        ctx,
        `(set-option :rlimit ${Math.max(1, Math.floor(rlimit))})\n${script}`,
      );
      throwOnError(out);
      const status = out.trim().split('\n').at(-1)?.trim();
      const used = /:rlimit\s+(\d+)/.exec(await evalSmtlib(api, ctx, '(get-info :rlimit)'))?.[1];
      const rlimitUsed = used === undefined ? {} : { rlimitUsed: Number(used) };
      if (status === 'unsat') return { result: 'proved', ...rlimitUsed };
      if (status !== 'sat') return { result: 'unknown', ...rlimitUsed };
      const modelText = await evalSmtlib(api, ctx, '(get-model)');
      throwOnError(modelText);
      return { result: 'refuted', model: parseModel(modelText), ...rlimitUsed };
    } finally {
      Z3.del_context(ctx);
    }
  });
}

/** The parts of the Emscripten module used by evalSmtlib (z3-solver 5.2.0). */
interface Z3Emscripten {
  _malloc(size: number): number;
  _free(ptr: number): void;
  HEAPU8: Uint8Array;
  async_call(f: (...args: number[]) => void, ...args: number[]): Promise<string>;
  _async_Z3_eval_smtlib2_string(ctx: number, str: number): void;
}

/**
 * Z3_eval_smtlib2_string on Z3's worker thread. z3-solver's own wrapper passes the script on
 * the Emscripten stack, which is released as soon as the call returns while the worker thread
 * is still reading it: under load that corrupts the script (seen as random `unknown constant`
 * errors). Here the script lives in malloc'ed memory until the answer arrives.
 */
async function evalSmtlib(api: Z3Api, ctx: Parameters<Z3Api['Z3']['eval_smtlib2_string']>[0], text: string) {
  const em = api.em as Partial<Z3Emscripten> | undefined;
  if (
    !em ||
    typeof em._malloc !== 'function' ||
    typeof em._free !== 'function' ||
    typeof em.async_call !== 'function' ||
    typeof em._async_Z3_eval_smtlib2_string !== 'function' ||
    !em.HEAPU8
  ) {
    return api.Z3.eval_smtlib2_string(ctx, text);
  }
  const bytes = new TextEncoder().encode(text);
  const ptr = em._malloc(bytes.length + 1);
  if (!ptr) throw new Error('z3: out of memory for the obligation script');
  try {
    em.HEAPU8.set(bytes, ptr);
    em.HEAPU8[ptr + bytes.length] = 0;
    return await em.async_call(em._async_Z3_eval_smtlib2_string, ctx as unknown as number, ptr);
  } finally {
    em._free(ptr);
  }
}

function throwOnError(out: string): void {
  const error = out.split('\n').find((line) => line.trimStart().startsWith('(error'));
  if (error) throw new Error(`z3 rejected the obligation script: ${error.trim()}`);
}

/** The failing check and its witness, from a model of an obligation script (see obligations/smt.ts). */
export function counterexampleOf(model: Record<string, string>): Record<string, string> {
  const check = model.violated;
  if (check === undefined) return model;
  const out: Record<string, string> = { check };
  const prefix = `${check}.`;
  for (const [name, value] of Object.entries(model)) {
    if (name.startsWith(prefix)) out[name.slice(prefix.length)] = value;
  }
  return out;
}

export async function proveObligation(
  obligation: Obligation,
  rlimit: number = DEFAULT_RLIMIT,
): Promise<ObligationProof> {
  const smtlib = obligation.smtlib;
  const start = performance.now();
  const outcome = await runSmt(smtlib, rlimit);
  const ms = Math.round(performance.now() - start);
  return {
    name: obligation.name,
    description: obligation.description,
    smtlib,
    result: outcome.result,
    ...(outcome.model ? { counterexample: counterexampleOf(outcome.model) } : {}),
    ms,
  };
}

/** Proves every obligation of `template` (buildObligations) and returns proof.json. */
export async function proveTemplate(
  template: CurveTemplate,
  templateHash: string,
  opts: ProveOptions = {},
): Promise<ProofReport> {
  return proveObligations(buildObligations(template), templateHash, opts);
}

export async function proveObligations(
  obligations: readonly Obligation[],
  templateHash: string,
  opts: ProveOptions = {},
): Promise<ProofReport> {
  const solverName = await solverVersion();
  const results: ObligationProof[] = [];
  for (const obligation of obligations) results.push(await proveObligation(obligation, opts.rlimit));
  return {
    templateHash,
    solver: solverName,
    allowUnproven: opts.allowUnproven === true,
    obligations: results,
  };
}

/** Refuted never passes; unknown passes only with allowUnproven. */
export function proofPassed(report: ProofReport, allowUnproven: boolean = report.allowUnproven): boolean {
  return report.obligations.every((o) => o.result === 'proved' || (o.result === 'unknown' && allowUnproven));
}

/**
 * Compiles CurveScript and proves its obligations with Z3 (instead of evaluating them): a
 * refuted obligation is an error at its anchor's line, an unknown one too unless
 * allowUnproven (then a warning). `proof` is present whenever the script compiled.
 */
export async function compileAndProve(
  source: string,
  opts: ProveOptions = {},
): Promise<{ result: CompileResult; proof?: ProofReport }> {
  const compiled = compileCurveScript(source, { evaluateObligations: false });
  if (!compiled.compiled) return { result: compiled };
  const c = compiled.compiled;
  const proof = await proveObligations(c.obligations, c.templateHash, opts);
  const allowUnproven = opts.allowUnproven === true;
  const diagnostics: Diagnostic[] = [...compiled.diagnostics];
  proof.obligations.forEach((o, i) => {
    if (o.result === 'proved') return;
    const obligation = c.obligations[i]!;
    if (o.result === 'refuted') {
      diagnostics.push(obligationFailure(obligation, compiled.positions, o.counterexample, 'refuted'));
    } else {
      const d = obligationFailure(obligation, compiled.positions, undefined, 'unknown');
      diagnostics.push(allowUnproven ? { ...d, severity: 'warning' } : d);
    }
  });
  const sorted = sortDiagnostics(diagnostics);
  return { result: { ...compiled, diagnostics: sorted, ok: compiled.ok && !hasErrors(sorted) }, proof };
}

// ---------------------------------------------------------------------------------------------
// Model parsing: `(define-fun name () Sort value)` entries of a (get-model) answer.

type Sexp = string | Sexp[];

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(\(|\)|\|[^|]*\||"(?:[^"]|"")*"|[^\s()|"]+)/gy;
  for (let m = re.exec(text); m; m = re.exec(text)) tokens.push(m[1]!);
  return tokens;
}

function parseSexps(tokens: string[]): Sexp[] {
  let i = 0;
  const one = (): Sexp => {
    const t = tokens[i++]!;
    if (t !== '(') return t.startsWith('|') && t.endsWith('|') ? t.slice(1, -1) : t;
    const list: Sexp[] = [];
    while (i < tokens.length && tokens[i] !== ')') list.push(one());
    i++;
    return list;
  };
  const out: Sexp[] = [];
  while (i < tokens.length) out.push(one());
  return out;
}

function render(e: Sexp): string {
  if (typeof e === 'string') return /^\d+\.0+$/.test(e) ? e.slice(0, e.indexOf('.')) : e;
  if (e[0] === '-' && e.length === 2) return `-${render(e[1]!)}`;
  if (e[0] === '/' && e.length === 3) return `${render(e[1]!)}/${render(e[2]!)}`;
  return `(${e.map(render).join(' ')})`;
}

/** Constant name → value (integers, `n/d` rationals, `-x`, constructors; anything else as text). */
export function parseModel(text: string): Record<string, string> {
  const model: Record<string, string> = {};
  const top = parseSexps(tokenize(text));
  const entries = top.length === 1 && Array.isArray(top[0]) ? top[0] : top;
  const list = entries[0] === 'model' ? entries.slice(1) : entries;
  for (const entry of list) {
    if (!Array.isArray(entry) || entry[0] !== 'define-fun' || entry.length !== 5) continue;
    const [, name, args, , value] = entry;
    if (typeof name !== 'string' || !Array.isArray(args) || args.length !== 0 || value === undefined)
      continue;
    model[name] = render(value);
  }
  return model;
}

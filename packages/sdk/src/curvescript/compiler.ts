import { sigmoidApproximationError } from '../curve/index.ts';
import { checkScript, type FieldPositions } from './checker.ts';
import { type Diagnostic, FILE_START, hasErrors, type Position, sortDiagnostics } from './diagnostics.ts';
import { buildObligations, type Obligation } from './obligations/index.ts';
import { parse, type Script } from './parser.ts';
import type { CurveTemplate } from './template.ts';
import { encodeTemplate, templateHash } from './template-codec.ts';
import { validateTemplate } from './validate.ts';

export interface CompileOptions {
  /**
   * Evaluate the proof obligations directly (exact integer arithmetic, no solver) and report
   * failures. The prover entry point turns this off and reports Z3's verdicts instead.
   */
  readonly evaluateObligations?: boolean;
}

export interface CompiledTemplate {
  readonly template: CurveTemplate;
  readonly bytes: Uint8Array;
  /** Lowercase hex sha256 of `bytes`. */
  readonly templateHash: string;
  readonly obligations: readonly Obligation[];
}

export interface CompileResult {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly script: Script;
  /** Present when the script is well-formed and structurally valid (obligations may still fail). */
  readonly compiled?: CompiledTemplate;
  /** Where to report a failed obligation (by its anchor). */
  readonly positions: FieldPositions;
}

/** Compiles CurveScript source to a canonical template. Pure; never throws on bad input. */
export function compileCurveScript(source: string, options: CompileOptions = {}): CompileResult {
  const { script, diagnostics: parseDiagnostics } = parse(source);
  const checked = checkScript(script);
  const diagnostics: Diagnostic[] = [...parseDiagnostics, ...checked.diagnostics];
  const { positions } = checked;
  const done = (compiled?: CompiledTemplate): CompileResult => {
    const sorted = sortDiagnostics(dedupe(diagnostics));
    return {
      ok: !hasErrors(sorted) && compiled !== undefined,
      diagnostics: sorted,
      script,
      compiled,
      positions,
    };
  };
  const template = checked.template;
  if (!template || hasErrors(diagnostics)) return done();

  for (const issue of validateTemplate(template)) {
    diagnostics.push({ ...positionOf(issue.field, positions), severity: 'error', message: issue.message });
  }
  if (hasErrors(diagnostics)) return done();

  const bytes = encodeTemplate(template);
  const obligations = buildObligations(template);
  if (template.curve.kind === 'sigmoid') {
    const gap = sigmoidApproximationError(template.curve);
    diagnostics.push({
      ...positionOf('curve', positions),
      severity: 'note',
      message: `sigmoid compiled to 32 linear segments; largest relative gap to the true sigmoid at segment midpoints: ${(gap * 100).toFixed(4)}%`,
    });
  }
  if (options.evaluateObligations !== false) {
    for (const obligation of obligations) {
      const verdict = obligation.evaluate();
      if (!verdict.holds) diagnostics.push(obligationFailure(obligation, positions, verdict.counterexample));
    }
  }
  return done({ template, bytes, templateHash: templateHash(bytes), obligations });
}

/**
 * The diagnostic for an obligation that failed, at its anchor's line: refuted (it does not
 * hold; a counterexample says where) or unknown (the solver ran out of its resource limit).
 */
export function obligationFailure(
  obligation: Obligation,
  positions: FieldPositions,
  counterexample?: Readonly<Record<string, string>>,
  verdict: 'refuted' | 'unknown' = 'refuted',
): Diagnostic {
  const details = [obligation.name];
  if (counterexample && Object.keys(counterexample).length > 0) {
    details.push(`counterexample: ${formatCounterexample(counterexample)}`);
  }
  if (verdict === 'unknown') details.push('undecided within the resource limit; --allow-unproven accepts it');
  return {
    ...positionOf(anchorField(obligation), positions),
    severity: 'error',
    message: `${verdict === 'refuted' ? 'proof failed' : 'could not prove'}: ${obligation.description} (${details.join('; ')})`,
  };
}

function anchorField(obligation: Obligation): string {
  switch (obligation.anchor) {
    case 'reserve_floor':
      return 'reserveFloorBps';
    case 'migrate':
      // Reachability is about the threshold value; an empty pool about the whole statement.
      return obligation.name.includes('reachable') ? 'migration.threshold' : 'migrate';
    default:
      return 'curve';
  }
}

function formatCounterexample(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
}

/** The script position of a template field: the field itself, else its nearest recorded parent. */
function positionOf(field: string, positions: FieldPositions): Position {
  for (let key = field; key; key = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : '') {
    const at = positions.get(key);
    if (at) return at;
  }
  return positions.get('curve') ?? FILE_START;
}

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.line}:${d.col}:${d.severity}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

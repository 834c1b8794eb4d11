/**
 * The frame every obligation shares: a list of checks, each a fact with an exact evaluator and
 * an SMT-LIB statement of its violation. The script asserts the disjunction of all violations,
 * so `(check-sat)` is `unsat` iff every check holds; in a model, the constant `violated` names
 * the failing check and the constants `<check>.<name>` are its witness (the prover keeps only
 * those in the counterexample).
 */

export type Anchor = 'curve' | 'reserve_floor' | 'migrate';

export interface Verdict {
  readonly holds: boolean;
  /** `check` names the failed fact; the other keys are its witness values. */
  readonly counterexample?: Record<string, string>;
}

export interface Obligation {
  readonly name: string;
  readonly description: string;
  /** The script line a failure is reported on. */
  readonly anchor: Anchor;
  /** A complete SMT-LIB 2 script; its `(check-sat)` is `unsat` iff the obligation holds. */
  readonly smtlib: string;
  /** The same facts evaluated exactly (bigints and rationals), without a solver. */
  evaluate(): Verdict;
}

export type Sort = 'Int' | 'Real';
/** Maps a witness name to its SMT symbol (`<check>.<name>`). */
export type Witness = (name: string) => string;

export interface Check {
  /** snake_case, unique within its obligation: a datatype constructor in the script. */
  readonly id: string;
  /** One line: the fact, as a comment in the script. */
  readonly comment: string;
  /** Witness variables (existentially quantified in the violation). */
  readonly vars?: readonly (readonly [string, Sort])[];
  /** The violation of the fact (SMT Bool). */
  readonly violation: (w: Witness) => string;
  /**
   * Exact evaluation: undefined when the fact holds, else its witness values. Symbolic lemmas
   * (theorems with no template constant in them) always hold and leave this out.
   */
  readonly evaluate?: () => Record<string, string> | undefined;
}

export interface ObligationSpec {
  readonly name: string;
  readonly description: string;
  readonly anchor: Anchor;
  /** Comment lines: what is proved and why the reduction to the checks below is sound. */
  readonly proof: readonly string[];
  /** Definitions (define-fun / define-fun-rec lines) the checks use. */
  readonly definitions: readonly string[];
  readonly checks: readonly Check[];
}

/** An SMT-LIB integer literal (negatives as `(- n)`). */
export function int(value: bigint | number): string {
  const v = BigInt(value);
  return v < 0n ? `(- ${-v})` : v.toString();
}

export function defineInt(name: string, value: string | bigint | number, comment?: string): string {
  const body = typeof value === 'string' ? value : int(value);
  return `(define-fun ${name} () Int ${body})${comment ? ` ; ${comment}` : ''}`;
}

export function and(...parts: string[]): string {
  return parts.length === 1 ? parts[0]! : `(and ${parts.join(' ')})`;
}

export function or(...parts: string[]): string {
  return parts.length === 1 ? parts[0]! : `(or ${parts.join(' ')})`;
}

/** Arithmetic helpers every script defines (floor `div` of SMT-LIB for a positive divisor). */
export const COMMON_DEFINITIONS: readonly string[] = [
  '(define-fun U64 () Int 18446744073709551615) ; 2^64 - 1',
  '(define-fun u64 ((a Int)) Bool (and (<= 0 a) (<= a U64)))',
  '(define-fun ceildiv ((a Int) (b Int)) Int (div (+ a (- b 1)) b)) ; ceil(a/b) for b > 0',
];

export function buildScript(spec: ObligationSpec): string {
  const lines: string[] = [];
  lines.push(`; obligation ${spec.name}: ${spec.description}`);
  for (const p of spec.proof) lines.push(`; ${p}`);
  lines.push(
    '; (check-sat) is unsat iff the obligation holds: the final assertion is the disjunction of the',
    '; violations of the checks below; in a model `violated` names the failing check and',
    '; `<check>.<name>` its witness.',
  );
  lines.push(...COMMON_DEFINITIONS, ...spec.definitions);
  lines.push(`(declare-datatype Check (${spec.checks.map((c) => `(${c.id})`).join(' ')}))`);
  lines.push('(declare-const violated Check)');
  const disjuncts: string[] = [];
  for (const check of spec.checks) {
    const w: Witness = (name) => `${check.id}.${name}`;
    lines.push(`; check ${check.id}: ${check.comment}`);
    for (const [name, sort] of check.vars ?? []) lines.push(`(declare-const ${w(name)} ${sort})`);
    disjuncts.push(`  (and (= violated ${check.id}) ${check.violation(w)})`);
  }
  lines.push(`(assert (or\n${disjuncts.join('\n')}))`);
  lines.push('(check-sat)');
  return toAscii(`${lines.join('\n')}\n`);
}

const ASCII: Record<string, string> = {
  '∀': 'forall',
  '∃': 'exists',
  '≤': '<=',
  '≥': '>=',
  '⇒': '=>',
  '⇔': '<=>',
  '→': '->',
  '·': '*',
  '−': '-',
  '–': '-',
  '—': '-',
  '²': '^2',
  '…': '...',
  '∧': 'and',
  '∨': 'or',
  '≠': '!=',
  '√': 'sqrt',
  '₀': '0',
  ˢ: 's',
  '∫': 'integral',
  Δ: 'D',
};

/** Scripts are plain ASCII (the comments are written with math symbols in the sources). */
export function toAscii(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (ch) => ASCII[ch] ?? '?');
}

export function evaluateChecks(checks: readonly Check[]): Verdict {
  for (const check of checks) {
    const witness = check.evaluate?.();
    if (witness) return { holds: false, counterexample: { check: check.id, ...witness } };
  }
  return { holds: true };
}

/** An Obligation whose script is built on first use and whose verdict is computed once. */
export function makeObligation(spec: ObligationSpec): Obligation {
  let script: string | undefined;
  let verdict: Verdict | undefined;
  return {
    name: spec.name,
    description: spec.description,
    anchor: spec.anchor,
    get smtlib(): string {
      script ??= buildScript(spec);
      return script;
    },
    evaluate(): Verdict {
      verdict ??= evaluateChecks(spec.checks);
      return verdict;
    },
  };
}

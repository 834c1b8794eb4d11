/** Obligations migration_reachable and migration_pool_nonempty. */
import type { CurveTemplate, Migration } from '../template.ts';
import { ceilDivAny, str } from './exact.ts';
import { cpBuyKeepsK, cpMinX, cpSellKeepsK, isqrtThreshold, productMonotone } from './lemmas.ts';
import { type Shape, templateDefinitions } from './shape.ts';
import { type Check, defineInt, type ObligationSpec } from './smt.ts';

/** The largest vault the curve can reach: one buy of everything for sale. */
function maxVault(shape: Shape): { smt: string; exact: () => bigint } {
  if (shape.kind === 'cp') return { smt: 'netN', exact: () => shape.netN() };
  return { smt: '(T N)', exact: () => shape.T(shape.N) };
}

function migrationDefinitions(t: CurveTemplate, shape: Shape, m: Migration): string[] {
  return [
    ...templateDefinitions(t),
    ...shape.definitions,
    `; migrate when ${m.trigger} ${m.trigger === 'sold' ? 'MIG_THRESHOLD base units' : 'MIG_THRESHOLD lamports in the vault'}`,
    defineInt('MIG_THRESHOLD', m.threshold),
    defineInt('MIG_FEE', m.migrationFee, 'lamports taken from the vault at migration'),
    `(define-fun MAX_VAULT () Int ${maxVault(shape).smt}) ; the vault after one buy of all N`,
  ];
}

function reachable(shape: Shape, m: Migration): boolean {
  if (m.trigger === 'sold') return m.threshold > 0n && m.threshold <= shape.N;
  return m.threshold <= maxVault(shape).exact();
}

const REACHABLE_SMT = {
  sold: '(and (< 0 MIG_THRESHOLD) (<= MIG_THRESHOLD N))',
  raised: '(<= MIG_THRESHOLD MAX_VAULT)',
} as const;

export function reachableObligation(t: CurveTemplate, shape: Shape, m: Migration): ObligationSpec {
  const check: Check =
    m.trigger === 'sold'
      ? {
          id: 'threshold_within_sale',
          comment: '0 < MIG_THRESHOLD ≤ N: the sold trigger is a point of the curve',
          vars: [['sell', 'Int']],
          violation: (w) => `(and (= ${w('sell')} N) (not ${REACHABLE_SMT.sold}))`,
          evaluate: () => (reachable(shape, m) ? undefined : { sell: str(shape.N) }),
        }
      : {
          id: 'threshold_within_vault',
          comment: 'MIG_THRESHOLD ≤ MAX_VAULT: one buy of everything for sale leaves vault ≥ L',
          vars: [['max_vault', 'Int']],
          violation: (w) => `(and (= ${w('max_vault')} MAX_VAULT) (not ${REACHABLE_SMT.raised}))`,
          evaluate: () => (reachable(shape, m) ? undefined : { max_vault: str(maxVault(shape).exact()) }),
        };
  return {
    name: 'migration_reachable',
    description:
      m.trigger === 'sold'
        ? 'the migration threshold (tokens sold) is reachable on the curve'
        : 'the migration threshold (lamports raised) is reachable on the curve',
    anchor: 'migrate',
    proof:
      m.trigger === 'sold'
        ? [
            'sold trigger: reached exactly when s = MIG_THRESHOLD (buys are capped there), so it is',
            'reachable iff 0 < MIG_THRESHOLD ≤ N.',
          ]
        : [
            'raised trigger: reached when the vault is ≥ MIG_THRESHOLD (fees excluded); the vault is',
            'largest after buying everything for sale (MAX_VAULT: T(N), or net(N) for CP from the',
            'initial state), so it is reachable iff MIG_THRESHOLD ≤ MAX_VAULT.',
          ],
    definitions: migrationDefinitions(t, shape, m),
    checks: [...shape.checks, check],
  };
}

export function poolObligation(t: CurveTemplate, shape: Shape, m: Migration): ObligationSpec {
  // The worst case at the migration point: the least quote x and the fewest tokens y.
  let vaultSmt: string;
  let vaultExact: () => bigint;
  let sold: { smt: string; exact: bigint };
  const proof: string[] = [
    'At migration the pool gets x = vault − MIG_FEE lamports and y = SUPPLY − sold − ALLOC tokens;',
    'LP supply isqrt(x·y) > 1000 ⇔ x·y ≥ 1001² (lemma_isqrt_threshold). x·y only grows with x and',
    'y (lemma_product_monotone), so it suffices to check the least x and y at the migration point:',
  ];
  const extraChecks: Check[] = [isqrtThreshold, productMonotone];
  if (m.trigger === 'sold') {
    sold = { smt: 'MIG_THRESHOLD', exact: m.threshold };
    if (shape.kind === 'cp') {
      proof.push(
        'sold trigger, CP: s = MIG_THRESHOLD exactly and X·Y ≥ X0·Y0 (lemma_cp_*_keeps_k), so the',
        'integer X is at least ceil(X0·Y0/(Y0 − s)) (lemma_cp_min_x): vault ≥ that − X0.',
      );
      vaultSmt = '(- (ceildiv (* X0 Y0) (- Y0 MIG_THRESHOLD)) X0)';
      vaultExact = () => ceilDivAny(shape.X0 * shape.Y0, shape.Y0 - m.threshold) - shape.X0;
      extraChecks.push(cpBuyKeepsK, cpSellKeepsK, cpMinX);
    } else {
      proof.push('sold trigger: s = MIG_THRESHOLD exactly, and the vault is exactly T(s) there.');
      vaultSmt = '(T MIG_THRESHOLD)';
      vaultExact = () => shape.T(m.threshold);
    }
  } else {
    proof.push(
      'raised trigger: the vault is ≥ MIG_THRESHOLD when it is reached (least: MIG_THRESHOLD) and',
      'sold ≤ N (most tokens sold: N).',
    );
    sold = { smt: 'N', exact: shape.N };
    vaultSmt = 'MIG_THRESHOLD';
    vaultExact = () => m.threshold;
  }
  proof.push('An unreachable threshold never migrates: the checks are vacuous then (migration_reachable).');
  const x = () => vaultExact() - m.migrationFee;
  const y = () => t.supply - sold.exact - t.creatorAllocation;
  const isReachable = () => reachable(shape, m);
  const guard = REACHABLE_SMT[m.trigger];
  const checks: Check[] = [
    ...shape.checks,
    ...extraChecks,
    {
      id: 'pool_quote_positive',
      comment: 'x = vault − MIG_FEE > 0 at the migration point',
      vars: [['x', 'Int']],
      violation: (w) => `(and ${guard} (= ${w('x')} (- POOL_VAULT MIG_FEE)) (<= ${w('x')} 0))`,
      evaluate: () => (isReachable() && x() <= 0n ? { x: str(x()) } : undefined),
    },
    {
      id: 'pool_tokens_positive',
      comment: 'y = SUPPLY − sold − ALLOC > 0 at the migration point',
      vars: [['y', 'Int']],
      violation: (w) => `(and ${guard} (= ${w('y')} POOL_TOKENS) (<= ${w('y')} 0))`,
      evaluate: () => (isReachable() && y() <= 0n ? { y: str(y()) } : undefined),
    },
    {
      id: 'lp_shares_above_locked',
      comment: 'x·y ≥ 1001², i.e. LP supply isqrt(x·y) > 1000 locked shares',
      vars: [
        ['x', 'Int'],
        ['y', 'Int'],
      ],
      violation: (w) =>
        `(and ${guard} (= ${w('x')} (- POOL_VAULT MIG_FEE)) (= ${w('y')} POOL_TOKENS) (< (* ${w('x')} ${w('y')}) 1002001))`,
      evaluate: () => (isReachable() && x() * y() < 1_002_001n ? { x: str(x()), y: str(y()) } : undefined),
    },
  ];
  return {
    name: 'migration_pool_nonempty',
    description:
      'the AMM pool created at migration is not empty and mints more than the 1000 locked LP shares',
    anchor: 'migrate',
    proof,
    definitions: [
      ...migrationDefinitions(t, shape, m),
      `(define-fun POOL_VAULT () Int ${vaultSmt}) ; least vault at the migration point`,
      `(define-fun POOL_TOKENS () Int (- SUPPLY ${sold.smt} ALLOC)) ; fewest tokens for the pool`,
    ],
    checks,
  };
}

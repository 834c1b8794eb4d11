/**
 * Compute metering: a fixed cost per operation (plus per template byte for CREATE_CURVE), a
 * function of the transaction alone so the block builder can pack blocks before executing
 * them. A failed transaction costs the same as a successful one. One unit is roughly one
 * nanosecond of the reference machine's VM time (bench/vm.ts): CREATE_CURVE re-evaluates the
 * template's proof obligations (0.2–1.5 ms measured on the example templates).
 */
import type { OperationName, Transaction } from '../tx/types.ts';

/** Every transaction: decoding, nonce, signature verification, receipt. */
export const BASE_TX_COST = 2_000;

export const OPERATION_COSTS: Readonly<Record<OperationName, number>> = {
  create_curve: 1_000_000,
  buy: 12_000,
  sell: 10_000,
  add_liquidity: 8_000,
  migrate_to_amm: 20_000,
  remove_liquidity: 8_000,
  transfer: 3_000,
  claim: 5_000,
  withdraw: 6_000,
  deposit: 3_000,
};

/** Per byte of a CREATE_CURVE template (obligation work grows with segments and steps). */
export const TEMPLATE_BYTE_COST = 2_000;

export function computeUnits(tx: Transaction): number {
  const op = tx.operation;
  const cost = BASE_TX_COST + OPERATION_COSTS[op.op];
  return op.op === 'create_curve' ? cost + TEMPLATE_BYTE_COST * op.template.length : cost;
}

/**
 * Block validity: what makes a block invalid as a whole (ARCHITECTURE.md §5). Transactions
 * normally arrive decoded by the strict codec, but the VM is also handed values built in code,
 * so it re-checks what the codec guarantees (field ranges and lengths) before touching state.
 */
import { U64_MAX } from '../curvescript/template.ts';
import { AssetL2Error, type ErrorCode } from '../errors/index.ts';
import { type Operation, type Transaction, TX_LIMITS, TX_VERSION } from '../tx/types.ts';

/** BLOCK_INVALID with the reason and the first offending transaction (null: the header). */
export class BlockInvalidError extends AssetL2Error {
  readonly reason: ErrorCode;
  readonly txIndex: number | null;
  constructor(reason: ErrorCode, txIndex: number | null, detail: string) {
    super(
      'BLOCK_INVALID',
      txIndex === null ? `invalid block: ${detail}` : `invalid block: tx ${txIndex}: ${detail}`,
    );
    this.name = 'BlockInvalidError';
    this.reason = reason;
    this.txIndex = txIndex;
  }
}

export function isBlockInvalid(e: unknown): e is BlockInvalidError {
  return e instanceof BlockInvalidError;
}

const isU64 = (v: unknown): boolean => typeof v === 'bigint' && v >= 0n && v <= U64_MAX;
const isBytes = (v: unknown, length: number): boolean => v instanceof Uint8Array && v.length === length;

/** The first structural problem of a transaction, or null: [reason, sentence]. */
export function transactionShapeError(tx: Transaction): [ErrorCode, string] | null {
  if (tx.version !== TX_VERSION) return ['TX_BAD_VERSION', `unsupported transaction version ${tx.version}`];
  if (!Number.isInteger(tx.chainId) || tx.chainId < 0 || tx.chainId > 0xffff_ffff) {
    return ['TX_MALFORMED', 'the chain id is not a u32'];
  }
  if (!isBytes(tx.sender, 32)) return ['TX_MALFORMED', 'the sender is not 32 bytes'];
  if (!isBytes(tx.signature, 64)) return ['TX_MALFORMED', 'the signature is not 64 bytes'];
  if (!isU64(tx.nonce)) return ['TX_MALFORMED', 'the nonce is not a u64'];
  if (tx.kind !== 'fast' && tx.kind !== 'big') return ['TX_MALFORMED', `unknown transaction kind ${tx.kind}`];
  const problem = operationProblem(tx.operation);
  if (problem === null) return null;
  if (problem === 'unknown') return ['TX_UNKNOWN_OP', 'unknown operation'];
  if (problem === 'too_large')
    return ['TX_TOO_LARGE', `a template is at most ${TX_LIMITS.maxTemplateBytes} bytes`];
  return ['TX_MALFORMED', `the operation's ${problem} is out of range`];
}

/** Straight-line checks (this runs for every transaction): the first bad field's name, or null. */
function operationProblem(op: Operation): string | null {
  switch (op.op) {
    case 'create_curve':
      if (!(op.template instanceof Uint8Array)) return 'template';
      return op.template.length > TX_LIMITS.maxTemplateBytes ? 'too_large' : null;
    case 'buy': {
      if (!isBytes(op.curve, 32)) return 'curve';
      const order = op.order;
      if (order.kind === 'exact_tokens') {
        if (!isU64(order.tokens)) return 'tokens';
        return isU64(order.maxTotal) ? null : 'maxTotal';
      }
      if (order.kind === 'budget') {
        if (!isU64(order.lamports)) return 'lamports';
        return isU64(order.minTokens) ? null : 'minTokens';
      }
      return 'order';
    }
    case 'sell':
      if (!isBytes(op.curve, 32)) return 'curve';
      if (!isU64(op.tokens)) return 'tokens';
      return isU64(op.minOut) ? null : 'minOut';
    case 'add_liquidity':
      if (!isBytes(op.curve, 32)) return 'curve';
      if (!isU64(op.lamports)) return 'lamports';
      if (!isU64(op.tokens)) return 'tokens';
      return isU64(op.minShares) ? null : 'minShares';
    case 'migrate_to_amm':
    case 'claim':
      return isBytes(op.curve, 32) ? null : 'curve';
    case 'remove_liquidity':
      if (!isBytes(op.curve, 32)) return 'curve';
      if (!isU64(op.shares)) return 'shares';
      if (!isU64(op.minLamports)) return 'minLamports';
      return isU64(op.minTokens) ? null : 'minTokens';
    case 'transfer':
      if (!isBytes(op.to, 32)) return 'to';
      if (op.asset.kind === 'token') {
        if (!isBytes(op.asset.curve, 32)) return 'asset';
      } else if (op.asset.kind !== 'lamports') return 'asset';
      return isU64(op.amount) ? null : 'amount';
    case 'withdraw':
      if (!isBytes(op.l1Recipient, 32)) return 'l1Recipient';
      return isU64(op.lamports) ? null : 'lamports';
    case 'deposit':
      if (!isBytes(op.recipient, 32)) return 'recipient';
      if (!isU64(op.depositSeq)) return 'depositSeq';
      return isU64(op.lamports) ? null : 'lamports';
    default:
      return 'unknown';
  }
}

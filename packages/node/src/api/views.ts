/**
 * The one place where domain values become JSON (ARCHITECTURE.md §8): amounts as decimal
 * strings, counters as numbers, hashes and roots as lowercase hex, addresses, curve ids and
 * signatures as base58, camelCase fields. The shapes are the SDK client's types with
 * `A = string` (sdk/src/client/types.ts), so that server and client cannot drift apart;
 * events are converted by walking the same EVENT_FIELDS table the client parses with.
 */
import {
  curveSell,
  EVENT_FIELDS,
  encodeAddress,
  FILL_FIELDS,
  type FieldKind,
  type Rational,
  type Receipt,
  type RpcAccount,
  type RpcBlock,
  type RpcCurve,
  type RpcCurveUpdate,
  type RpcEvent,
  type RpcHealth,
  type RpcPrice,
  type RpcQuote,
  type RpcReceipt,
  type RpcTransactionStatus,
  type RpcValidator,
  toHex,
  type VmEvent,
} from '@assetl2/sdk';
import type {
  BlockInfo,
  CurveInfo,
  HealthInfo,
  QuoteInfo,
  TransactionStatusInfo,
  ValidatorInfo,
} from './backend.ts';

/** A counter (height, nonce, index, ms timestamp) as a JSON number; exact below 2^53. */
export function counter(value: bigint | number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`counter ${value} is not a safe integer`);
  return n;
}

export function amount(value: bigint): string {
  return value.toString();
}

export function healthView(chainId: number, devnet: boolean, health: HealthInfo): RpcHealth {
  return {
    status: health.healthy ? 'ok' : 'unhealthy',
    chainId,
    height: counter(health.height),
    devnet,
    ...(health.message === undefined ? {} : { message: health.message }),
  };
}

export function blockView(block: BlockInfo): RpcBlock {
  return {
    height: counter(block.height),
    hash: toHex(block.hash),
    parentHash: toHex(block.parentHash),
    timestamp: counter(block.timestamp),
    proposer: block.proposer === null ? null : encodeAddress(block.proposer),
    stateRoot: toHex(block.stateRoot),
    withdrawalsRoot: toHex(block.withdrawalsRoot),
    transactionCount: block.transactionIds.length,
    transactions: block.transactionIds,
  };
}

export function accountView(account: {
  readonly address: Uint8Array;
  readonly lamports: bigint;
  readonly nonce: bigint;
  readonly tokens: readonly { readonly curve: Uint8Array; readonly amount: bigint }[];
  readonly lpShares: readonly { readonly curve: Uint8Array; readonly shares: bigint }[];
}): RpcAccount<string> {
  const tokens: Record<string, string> = {};
  for (const t of account.tokens) tokens[encodeAddress(t.curve)] = amount(t.amount);
  const lpShares: Record<string, string> = {};
  for (const l of account.lpShares) lpShares[encodeAddress(l.curve)] = amount(l.shares);
  return {
    address: encodeAddress(account.address),
    lamports: amount(account.lamports),
    nonce: counter(account.nonce),
    tokens,
    lpShares,
  };
}

export function priceView(price: Rational): RpcPrice<string> {
  return { num: amount(price.num), den: amount(price.den) };
}

export function curveView(info: CurveInfo): RpcCurve<string> {
  const { record, template } = info;
  const m = template.migration;
  return {
    id: encodeAddress(record.id),
    creator: encodeAddress(record.creator),
    templateHash: toHex(record.templateHash),
    name: template.name,
    symbol: template.symbol,
    decimals: template.decimals,
    shape: template.curve.kind,
    phase: record.phase,
    createdHeight: counter(record.createdHeight),
    createdAt: counter(record.createdAt),
    sealedUntil: info.sealedUntil === null ? null : counter(info.sealedUntil),
    supply: amount(template.supply),
    forSale: amount(curveSell(template.curve)),
    sold: amount(record.state.sold),
    vault: amount(record.vault),
    spotPrice: priceView(info.spotPrice),
    feeBps: template.feeBps,
    creatorFees: amount(record.creatorFees),
    protocolFees: amount(record.protocolFees),
    creatorAllocation: amount(template.creatorAllocation),
    claimedAllocation: amount(record.claimedAllocation),
    escrowTotal: amount(record.escrowTotal),
    maxBuy: template.maxBuy === null ? null : amount(template.maxBuy),
    migration:
      m === null
        ? null
        : {
            trigger: m.trigger,
            threshold: amount(m.threshold),
            ammFeeBps: m.ammFeeBps,
            migrationFee: amount(m.migrationFee),
            lp: m.lp,
          },
    pool:
      record.pool === null
        ? null
        : {
            lamports: amount(record.pool.x),
            tokens: amount(record.pool.y),
            shares: amount(record.pool.shares),
            burnedShares: amount(record.pool.burnedShares),
          },
  };
}

export function quoteView(curveId: string, quote: QuoteInfo): RpcQuote<string> {
  return {
    curveId,
    side: quote.side,
    venue: quote.venue,
    tokens: amount(quote.tokens),
    lamports: amount(quote.lamports),
    fee: amount(quote.fee),
  };
}

export function validatorView(validator: ValidatorInfo): RpcValidator {
  return {
    address: encodeAddress(validator.publicKey),
    index: validator.index,
    ...(validator.name === undefined ? {} : { name: validator.name }),
  };
}

export function eventView(event: VmEvent): RpcEvent<string> {
  const fields = EVENT_FIELDS[event.type] as Readonly<Record<string, FieldKind>>;
  const source = event as unknown as Readonly<Record<string, unknown>>;
  const out: Record<string, unknown> = { type: event.type };
  for (const [field, kind] of Object.entries(fields)) out[field] = fieldView(kind, source[field]);
  return out as unknown as RpcEvent<string>;
}

function fieldView(kind: FieldKind, value: unknown): unknown {
  switch (kind) {
    case 'address':
      return encodeAddress(value as Uint8Array);
    case 'address?':
      return value === null ? null : encodeAddress(value as Uint8Array);
    case 'hash':
      return toHex(value as Uint8Array);
    case 'amount':
      return amount(value as bigint);
    case 'counter':
      return counter(value as bigint);
    case 'counter?':
      return value === null ? null : counter(value as bigint);
    case 'input':
      return value;
    case 'price':
      return priceView(value as Rational);
    case 'fills':
      return (value as readonly Readonly<Record<string, unknown>>[]).map((fill) => {
        const out: Record<string, unknown> = {};
        for (const [name, k] of Object.entries(FILL_FIELDS)) out[name] = fieldView(k, fill[name]);
        return out;
      });
  }
}

export function receiptView(receipt: Receipt): RpcReceipt<string> {
  return {
    index: receipt.index,
    txHash: toHex(receipt.txId),
    status: receipt.status,
    ...(receipt.error === undefined ? {} : { error: receipt.error }),
    ...(receipt.message === undefined ? {} : { message: receipt.message }),
    computeUnits: receipt.computeUnits,
    events: receipt.events.map(eventView),
  };
}

export function transactionStatusView(
  txId: string,
  info: TransactionStatusInfo,
): RpcTransactionStatus<string> {
  if ('receipt' in info) {
    return { txId, status: info.status, height: counter(info.height), receipt: receiptView(info.receipt) };
  }
  if ('error' in info) return { txId, status: info.status, error: { ...info.error } };
  return { txId, status: info.status };
}

export function curveUpdateView(
  height: bigint,
  curve: CurveInfo,
  events: readonly VmEvent[],
): RpcCurveUpdate<string> {
  return { height: counter(height), curve: curveView(curve), events: events.map(eventView) };
}

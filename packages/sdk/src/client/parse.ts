/**
 * The node's JSON values back into client values: decimal-string amounts to bigints, every
 * other field as it is. Amounts are checked (a malformed one is a broken or hostile node and
 * throws RpcTransportError); shapes are otherwise trusted, as the server builds them from the
 * same types (types.ts).
 */
import { RpcTransportError } from './errors.ts';
import {
  EVENT_FIELDS,
  FILL_FIELDS,
  type FieldKind,
  type RpcAccount,
  type RpcClearingFill,
  type RpcCurve,
  type RpcCurveUpdate,
  type RpcEvent,
  type RpcMigration,
  type RpcPool,
  type RpcPrice,
  type RpcQuote,
  type RpcReceipt,
  type RpcTransactionStatus,
} from './types.ts';

const DECIMAL = /^(0|[1-9][0-9]*)$/;

export function parseAmount(value: unknown, what = 'amount'): bigint {
  if (typeof value !== 'string' || value.length > 40 || !DECIMAL.test(value)) {
    throw new RpcTransportError(`malformed response: ${what} is not a decimal string`);
  }
  return BigInt(value);
}

function amountMap(record: Readonly<Record<string, string>>): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const [key, value] of Object.entries(record)) out[key] = parseAmount(value, key);
  return out;
}

export function parseAccount(json: RpcAccount<string>): RpcAccount {
  return {
    address: json.address,
    lamports: parseAmount(json.lamports, 'lamports'),
    nonce: json.nonce,
    tokens: amountMap(json.tokens),
    lpShares: amountMap(json.lpShares ?? {}),
  };
}

export function parsePrice(json: RpcPrice<string>): RpcPrice {
  return { num: parseAmount(json.num, 'num'), den: parseAmount(json.den, 'den') };
}

function parsePool(json: RpcPool<string>): RpcPool {
  return {
    lamports: parseAmount(json.lamports, 'lamports'),
    tokens: parseAmount(json.tokens, 'tokens'),
    shares: parseAmount(json.shares, 'shares'),
    burnedShares: parseAmount(json.burnedShares, 'burnedShares'),
  };
}

export function parseCurve(json: RpcCurve<string>): RpcCurve {
  return {
    ...json,
    supply: parseAmount(json.supply, 'supply'),
    forSale: parseAmount(json.forSale, 'forSale'),
    sold: parseAmount(json.sold, 'sold'),
    vault: parseAmount(json.vault, 'vault'),
    spotPrice: parsePrice(json.spotPrice),
    creatorFees: parseAmount(json.creatorFees, 'creatorFees'),
    protocolFees: parseAmount(json.protocolFees, 'protocolFees'),
    creatorAllocation: parseAmount(json.creatorAllocation, 'creatorAllocation'),
    claimedAllocation: parseAmount(json.claimedAllocation, 'claimedAllocation'),
    escrowTotal: parseAmount(json.escrowTotal, 'escrowTotal'),
    maxBuy: json.maxBuy === null ? null : parseAmount(json.maxBuy, 'maxBuy'),
    migration: json.migration === null ? null : parseMigration(json.migration),
    pool: json.pool === null ? null : parsePool(json.pool),
  };
}

function parseMigration(json: RpcMigration<string>): RpcMigration {
  return {
    ...json,
    threshold: parseAmount(json.threshold, 'threshold'),
    migrationFee: parseAmount(json.migrationFee, 'migrationFee'),
  };
}

export function parseQuote(json: RpcQuote<string>): RpcQuote {
  return {
    ...json,
    tokens: parseAmount(json.tokens, 'tokens'),
    lamports: parseAmount(json.lamports, 'lamports'),
    fee: parseAmount(json.fee, 'fee'),
  };
}

/** Walks EVENT_FIELDS: the same table the server encodes with. */
export function parseEvent(json: RpcEvent<string>): RpcEvent {
  const fields = EVENT_FIELDS[json.type] as Readonly<Record<string, FieldKind>> | undefined;
  if (!fields) return json as unknown as RpcEvent; // an event type newer than this client
  const source = json as unknown as Readonly<Record<string, unknown>>;
  const out: Record<string, unknown> = { type: json.type };
  for (const [field, kind] of Object.entries(fields)) out[field] = parseField(kind, source[field], field);
  return out as unknown as RpcEvent;
}

function parseField(kind: FieldKind, value: unknown, field: string): unknown {
  switch (kind) {
    case 'amount':
      return parseAmount(value, field);
    case 'price':
      return parsePrice(value as RpcPrice<string>);
    case 'fills':
      return (value as readonly Readonly<Record<string, unknown>>[]).map((fill) => {
        const out: Record<string, unknown> = {};
        for (const [name, k] of Object.entries(FILL_FIELDS)) out[name] = parseField(k, fill[name], name);
        return out as unknown as RpcClearingFill;
      });
    default:
      return value;
  }
}

export function parseReceipt(json: RpcReceipt<string>): RpcReceipt {
  return { ...json, events: json.events.map(parseEvent) };
}

export function parseTransactionStatus(json: RpcTransactionStatus<string>): RpcTransactionStatus {
  const { receipt, ...rest } = json;
  return receipt === undefined ? rest : { ...rest, receipt: parseReceipt(receipt) };
}

export function parseCurveUpdate(json: RpcCurveUpdate<string>): RpcCurveUpdate {
  return { height: json.height, curve: parseCurve(json.curve), events: json.events.map(parseEvent) };
}

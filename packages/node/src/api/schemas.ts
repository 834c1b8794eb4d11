/**
 * Params of every method, as zod schemas over the positional `params` array. Each schema
 * checks shape and encoding and turns text into domain values (base58 → bytes, decimal u64 →
 * bigint), so handlers only see well-formed values; a failure becomes -32602 with a message
 * naming the parameter (see `describeIssue`).
 */
import {
  decodeAddress,
  decodeBase58,
  fromBase64,
  maxBase58Length,
  SIGNATURE_LENGTH,
  TX_LIMITS,
  U64_MAX,
} from '@assetl2/sdk';
import { z } from 'zod';
import type { QuoteRequest } from './backend.ts';

const U64_DECIMAL = /^(0|[1-9][0-9]{0,19})$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Base64 text of the largest transaction the decoder accepts. */
export const MAX_TX_BASE64_LENGTH = 4 * Math.ceil(TX_LIMITS.maxTransactionBytes / 3);

/** 32 bytes in base58: addresses and curve ids. */
export const address = z.string({ error: 'expected a base58 string' }).transform((text, ctx) => {
  try {
    return decodeAddress(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected 32 bytes in base58' });
    return z.NEVER;
  }
});

/** A transaction id: the base58 of a 64-byte signature (kept as text: it is the lookup key). */
export const txId = z.string({ error: 'expected a base58 transaction id' }).superRefine((text, ctx) => {
  let ok = text.length > 0 && text.length <= maxBase58Length(SIGNATURE_LENGTH);
  if (ok) {
    try {
      decodeBase58(text, SIGNATURE_LENGTH);
    } catch {
      ok = false;
    }
  }
  if (!ok) ctx.addIssue({ code: 'custom', message: 'expected a 64-byte signature in base58' });
});

/** A u64 as a decimal string (the JSON convention), or a safe non-negative integer. */
export const u64 = z
  .union([z.string(), z.number()], { error: 'expected a u64 as a decimal string' })
  .transform((value, ctx) => {
    if (typeof value === 'number') {
      if (Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    } else if (U64_DECIMAL.test(value)) {
      const n = BigInt(value);
      if (n <= U64_MAX) return n;
    }
    ctx.addIssue({
      code: 'custom',
      message: 'expected a u64 as a decimal string (0 to 18446744073709551615)',
    });
    return z.NEVER;
  });

/** A counter (height): a non-negative safe integer (or its decimal string). */
export const counter = z
  .union([z.number(), z.string()], { error: 'expected a non-negative integer' })
  .transform((value, ctx) => {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    if (
      typeof value === 'string' &&
      /^(0|[1-9][0-9]{0,15})$/.test(value) &&
      Number.isSafeInteger(Number(value))
    ) {
      return BigInt(value);
    }
    ctx.addIssue({ code: 'custom', message: 'expected a non-negative integer' });
    return z.NEVER;
  });

/** Signed transaction bytes in standard base64 (checked before decoding: bounded, well-formed). */
export const transactionBytes = z
  .string({ error: 'expected a base64 transaction' })
  .transform((text, ctx) => {
    if (text.length === 0 || text.length > MAX_TX_BASE64_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a base64 transaction of 1 to ${MAX_TX_BASE64_LENGTH} characters`,
      });
      return z.NEVER;
    }
    if (text.length % 4 !== 0 || !BASE64.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'not base64 (standard alphabet, padded)' });
      return z.NEVER;
    }
    return fromBase64(text);
  });

const QUOTE_KEYS = {
  buyTokens: { side: 'buy', by: 'tokens' },
  buyLamports: { side: 'buy', by: 'lamports' },
  sellTokens: { side: 'sell', by: 'tokens' },
} as const;

/** `{ buyTokens }`, `{ buyLamports }` or `{ sellTokens }`: exactly one, a u64 amount. */
export const quoteRequest = z
  .record(z.string(), z.unknown(), { error: 'expected { buyTokens | buyLamports | sellTokens: amount }' })
  .transform((value, ctx): QuoteRequest => {
    const keys = Object.keys(value);
    const key = keys[0] as keyof typeof QUOTE_KEYS;
    if (keys.length !== 1 || !Object.hasOwn(QUOTE_KEYS, key)) {
      ctx.addIssue({ code: 'custom', message: 'expected exactly one of buyTokens, buyLamports, sellTokens' });
      return z.NEVER;
    }
    const parsed = u64.safeParse(value[key]);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: `${key}: expected a u64 as a decimal string` });
      return z.NEVER;
    }
    return { ...QUOTE_KEYS[key], amount: parsed.data } as QuoteRequest;
  });

export const noParams = z.tuple([]);

/** The first issue as a sentence naming the parameter. */
export function describeIssue(error: z.ZodError, names: readonly string[]): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const [index] = issue.path;
  if (typeof index !== 'number') {
    if (issue.code === 'too_small' || issue.code === 'too_big') {
      const expected = names.length === 0 ? 'no params' : `params [${names.join(', ')}]`;
      return `expected ${expected}`;
    }
    return 'params must be an array';
  }
  const name = names[index] ?? `#${index}`;
  return `${name} (params[${index}]): ${issue.message}`;
}

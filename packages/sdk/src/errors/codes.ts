/**
 * The one registry of stable error codes. A code's number never changes once released; it
 * appears in receipts, JSON-RPC error data, CLI messages and tests. Add new codes at the end
 * of their range.
 */
export const ERROR_CODES = {
  // 1xxx: curve math and quoting
  ZERO_AMOUNT: 1000,
  EXCEEDS_FOR_SALE: 1001,
  EXCEEDS_SOLD: 1002,
  U64_OVERFLOW: 1003,
  INVALID_AMOUNT: 1004,
  // 2xxx: templates
  TEMPLATE_MALFORMED: 2000,
  TEMPLATE_BAD_MAGIC: 2001,
  TEMPLATE_BAD_VERSION: 2002,
  TEMPLATE_TRAILING_BYTES: 2003,
  TEMPLATE_INVALID: 2004,
  // 3xxx: CurveScript compilation
  SCRIPT_INVALID: 3000,
  PROOF_FAILED: 3001,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a stable code; `message` is a sentence for users, never a stack trace. */
export class AssetL2Error extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AssetL2Error';
    this.code = code;
  }
  get codeNumber(): number {
    return ERROR_CODES[this.code];
  }
}

export function isAssetL2Error(e: unknown): e is AssetL2Error {
  return e instanceof AssetL2Error;
}

/**
 * How the CLI talks to people and scripts: results on stdout (JSON with `--json`), problems
 * on stderr, exit code 1 for anything the user can fix. No stack traces for user mistakes.
 */
export class CliError extends Error {
  /** Stable error code name (e.g. EXCEEDS_FOR_SALE) when one applies. */
  readonly code: string | undefined;
  readonly exitCode: number;
  /** The command already printed what went wrong (e.g. diagnostics): only exit. */
  readonly reported: boolean;
  constructor(message: string, options: { code?: string; exitCode?: number; reported?: boolean } = {}) {
    super(message);
    this.name = 'CliError';
    this.code = options.code;
    this.exitCode = options.exitCode ?? 1;
    this.reported = options.reported ?? false;
  }
}

/** Writes one JSON document on stdout; bigints become decimal strings (the JSON convention). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
}

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function printError(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Reads a plain non-negative integer amount (base units or lamports). */
export function parseAmount(text: string, what: string): bigint {
  if (!/^[0-9]+$/.test(text)) {
    throw new CliError(
      `${what} must be a plain non-negative integer (base units or lamports), got "${text}"`,
      {
        code: 'INVALID_AMOUNT',
      },
    );
  }
  return BigInt(text);
}

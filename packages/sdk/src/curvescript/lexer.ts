import type { Diagnostic, Position } from './diagnostics.ts';

/**
 * CurveScript tokens. The lexer knows only lexical shape; which words are keywords and
 * which units fit where is the parser's and checker's business.
 * - `word`: lowercase identifier (`curve`, `virtual_quote`, `sol`)
 * - `symbol`: uppercase/digit identifier (`RCAT`)
 * - `number`: digits with single `_` separators and an optional fraction, kept exact as
 *   mantissa and scale (`1.25` → 125, scale 2)
 * - `percent`: `%`
 * - `string`: double-quoted, escapes `\"` and `\\` only
 * - `other`: anything else, reported by whoever expected something here
 */
export type TokenKind = 'word' | 'symbol' | 'number' | 'percent' | 'string' | 'other';

export interface Token extends Position {
  readonly kind: TokenKind;
  /** Source text (for strings: the decoded value). */
  readonly text: string;
  /** Numbers only: value = mantissa / 10^scale. */
  readonly mantissa?: bigint;
  readonly scale?: number;
}

export interface LexedLine {
  readonly line: number;
  readonly tokens: readonly Token[];
}

const NUMBER = /^[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?$/;
const LOOKS_NUMERIC = /^[0-9_.]+$/;
const WORD = /^[a-z_][a-z0-9_]*$/;
const SYMBOL = /^[A-Z0-9]+$/;
/** Bounds the work a hostile line can cause; real statements are far shorter. */
export const MAX_LINE_LENGTH = 1_000;

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t';
}

export function lex(source: string): { lines: LexedLine[]; diagnostics: Diagnostic[] } {
  const lines: LexedLine[] = [];
  const diagnostics: Diagnostic[] = [];
  const error = (line: number, col: number, message: string) =>
    diagnostics.push({ line, col, severity: 'error', message });

  // Editors may save a byte-order mark; it is not part of the first statement.
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  text.split('\n').forEach((rawLine, index) => {
    const line = index + 1;
    const chars = Array.from(rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine);
    if (chars.length > MAX_LINE_LENGTH) {
      error(line, MAX_LINE_LENGTH + 1, `line longer than ${MAX_LINE_LENGTH} characters`);
      return;
    }
    const tokens: Token[] = [];
    let i = 0;
    while (i < chars.length) {
      const c = chars[i]!;
      const col = i + 1;
      if (isSpace(c)) {
        i++;
      } else if (c === '#') {
        break;
      } else if (c === '%') {
        tokens.push({ kind: 'percent', text: '%', line, col });
        i++;
      } else if (c === '"') {
        const { value, end, problem } = readString(chars, i);
        if (problem) error(line, problem.col, problem.message);
        else tokens.push({ kind: 'string', text: value, line, col });
        i = end;
      } else {
        let j = i;
        while (
          j < chars.length &&
          !isSpace(chars[j]!) &&
          chars[j] !== '#' &&
          chars[j] !== '"' &&
          chars[j] !== '%'
        ) {
          j++;
        }
        const text = chars.slice(i, j).join('');
        tokens.push(classify(text, line, col));
        i = j;
      }
    }
    if (tokens.length > 0) lines.push({ line, tokens });
  });
  return { lines, diagnostics };
}

function classify(text: string, line: number, col: number): Token {
  if (NUMBER.test(text)) {
    const [whole = '', fraction = ''] = text.replaceAll('_', '').split('.');
    return { kind: 'number', text, line, col, mantissa: BigInt(whole + fraction), scale: fraction.length };
  }
  if (WORD.test(text) && !LOOKS_NUMERIC.test(text)) return { kind: 'word', text, line, col };
  if (SYMBOL.test(text)) return { kind: 'symbol', text, line, col };
  return { kind: 'other', text, line, col };
}

/** Reads a string literal starting at the opening quote; `end` is past the closing quote. */
function readString(
  chars: readonly string[],
  start: number,
): { value: string; end: number; problem?: { col: number; message: string } } {
  let value = '';
  let i = start + 1;
  while (i < chars.length) {
    const c = chars[i]!;
    if (c === '"') return { value, end: i + 1 };
    if (c === '\\') {
      const next = chars[i + 1];
      if (next !== '"' && next !== '\\') {
        return {
          value,
          end: chars.length,
          problem: { col: i + 1, message: 'invalid escape: only \\" and \\\\ are allowed' },
        };
      }
      value += next;
      i += 2;
      continue;
    }
    const code = c.codePointAt(0)!;
    if (code < 0x20 || code > 0x7e) {
      return { value, end: chars.length, problem: { col: i + 1, message: 'names must be printable ASCII' } };
    }
    value += c;
    i++;
  }
  return { value, end: chars.length, problem: { col: start + 1, message: 'unterminated string' } };
}

/** Whether a token looks like a malformed number (`1__0`, `_1`, `1_`, `1.`), for a precise message. */
export function isMalformedNumber(token: Token): boolean {
  return token.kind !== 'number' && /^[0-9_.]+$/.test(token.text) && /[0-9]/.test(token.text);
}

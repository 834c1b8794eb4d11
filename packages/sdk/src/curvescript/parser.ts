import type { Diagnostic, Position } from './diagnostics.ts';
import { CURVE_PARAMETERS, KEYWORDS, lookup, type Pattern, TOP_LEVEL, type Unit } from './grammar.ts';
import { isMalformedNumber, lex, type Token } from './lexer.ts';
import { nearest } from './suggest.ts';

/** A captured argument, with the position of its value (where diagnostics point). */
export type Value =
  | { readonly kind: 'string'; readonly value: string; readonly pos: Position }
  | { readonly kind: 'symbol'; readonly value: string; readonly pos: Position }
  | { readonly kind: 'word'; readonly value: string; readonly pos: Position }
  | { readonly kind: 'integer'; readonly value: bigint; readonly text: string; readonly pos: Position }
  | {
      readonly kind: 'quantity';
      readonly mantissa: bigint;
      readonly scale: number;
      readonly unit: Unit;
      readonly text: string;
      readonly pos: Position;
    };

export interface Statement {
  readonly keyword: string;
  readonly pos: Position;
  readonly fields: Readonly<Record<string, Value>>;
  /** False when the arguments did not match (already reported): its values are not checked. */
  readonly complete: boolean;
  /**
   * Error recovery: a line whose keyword was misspelled (read as the suggested keyword) or
   * that had a lexical error. It counts as present, so one typo does not also cause
   * "missing …" or "belongs in the curve block" errors, but it is never checked itself.
   */
  readonly recovered?: boolean;
  /** `curve` only: the parameter lines of its block. */
  readonly parameters?: readonly Statement[];
}

export interface Script {
  readonly statements: readonly Statement[];
}

export function parse(source: string): { script: Script; diagnostics: Diagnostic[] } {
  const { lines, diagnostics } = lex(source);
  const linesWithLexicalErrors = new Set(diagnostics.map((d) => d.line));
  const statements: Statement[] = [];
  let curveBlock: Statement[] | undefined;
  const error = (at: Position, message: string) =>
    diagnostics.push({ line: at.line, col: at.col, severity: 'error', message });

  for (const { tokens } of lines) {
    const [head, ...args] = tokens;
    if (!head) continue;
    if (head.kind !== 'word') {
      error(head, `expected a keyword at the start of the statement, found ${describe(head)}`);
      continue;
    }
    const known = lookup(TOP_LEVEL, head.text) ?? lookup(CURVE_PARAMETERS, head.text);
    const suggestion = known ? undefined : nearest(head.text, KEYWORDS);
    const keyword = suggestion ?? head.text;
    const topLevel = lookup(TOP_LEVEL, keyword);
    const parameter = lookup(CURVE_PARAMETERS, keyword);
    if (suggestion) {
      error(head, `unknown keyword \`${head.text}\`; did you mean \`${suggestion}\`?`);
    }
    const recovered = suggestion !== undefined || linesWithLexicalErrors.has(head.line);
    if (topLevel) {
      const statement = recovered
        ? { keyword, pos: at(head), fields: {}, complete: false, recovered }
        : matchStatement(head, args, topLevel, error);
      if (keyword === 'curve') {
        curveBlock = [];
        statements.push({ ...statement, parameters: curveBlock });
      } else {
        curveBlock = undefined;
        statements.push(statement);
      }
    } else if (parameter) {
      if (recovered) curveBlock?.push({ keyword, pos: at(head), fields: {}, complete: false, recovered });
      else if (curveBlock) curveBlock.push(matchStatement(head, args, parameter, error));
      else error(head, `\`${head.text}\` is a curve parameter and belongs in the \`curve\` block`);
    } else {
      error(head, `unknown keyword \`${head.text}\``);
    }
  }
  return { script: { statements }, diagnostics };
}

type Report = (at: Position, message: string) => void;

function matchStatement(head: Token, args: readonly Token[], pattern: Pattern, error: Report): Statement {
  const fields: Record<string, Value> = {};
  const state = { index: 0, ok: true };
  matchPattern(head, args, pattern, fields, state, error);
  if (state.ok && state.index < args.length) {
    const extra = args[state.index]!;
    error(extra, `unexpected ${describe(extra)} after the end of the \`${head.text}\` statement`);
    state.ok = false;
  }
  return { keyword: head.text, pos: { line: head.line, col: head.col }, fields, complete: state.ok };
}

function matchPattern(
  head: Token,
  args: readonly Token[],
  pattern: Pattern,
  fields: Record<string, Value>,
  state: { index: number; ok: boolean },
  error: Report,
): void {
  for (const element of pattern) {
    if (!state.ok) return;
    const token = args[state.index];
    // A missing argument has no value to point at: the keyword carries the diagnostic.
    const fail = (at: Position | undefined, message: string) => {
      error(at ?? head, message);
      state.ok = false;
    };
    const found = token ? `, found ${describe(token)}` : '';
    switch (element.type) {
      case 'literal':
        if (token?.kind === 'word' && token.text === element.word) state.index++;
        else fail(token, `expected \`${element.word}\` in the \`${head.text}\` statement${found}`);
        break;
      case 'optional':
        if (
          token?.kind === 'word' &&
          element.pattern[0]?.type === 'literal' &&
          token.text === element.pattern[0].word
        ) {
          matchPattern(head, args, element.pattern, fields, state, error);
        }
        break;
      case 'string':
        if (token?.kind === 'string') {
          fields[element.name] = { kind: 'string', value: token.text, pos: at(token) };
          state.index++;
        } else fail(token, `expected ${element.what}${found}`);
        break;
      case 'symbol':
        // A symbol may be all digits, which lexes as a number.
        if (token && (token.kind === 'symbol' || (token.kind === 'number' && /^[0-9]+$/.test(token.text)))) {
          fields[element.name] = { kind: 'symbol', value: token.text, pos: at(token) };
          state.index++;
        } else fail(token, `expected a symbol of 2 to 10 characters A-Z0-9${found}`);
        break;
      case 'integer':
        if (token?.kind === 'number' && token.scale === 0) {
          fields[element.name] = {
            kind: 'integer',
            value: token.mantissa!,
            text: token.text,
            pos: at(token),
          };
          state.index++;
        } else if (token?.kind === 'number')
          fail(token, `${element.what} must be a whole number, got ${token.text}`);
        else fail(token, numberExpected(element.what, token));
        break;
      case 'quantity': {
        if (token?.kind !== 'number') {
          fail(token, numberExpected(element.what, token));
          break;
        }
        const unitToken = args[state.index + 1];
        const unit =
          unitToken && (unitToken.kind === 'percent' ? '%' : unitToken.kind === 'word' ? unitToken.text : '');
        const units = element.units.join(' or ');
        if (!unit) {
          fail(unitToken ?? token, `expected a unit (${units}) after ${token.text}`);
        } else if (!(element.units as readonly string[]).includes(unit)) {
          fail(unitToken, `\`${unit}\` is not a unit for ${element.what}; expected ${units}`);
        } else {
          fields[element.name] = {
            kind: 'quantity',
            mantissa: token.mantissa!,
            scale: token.scale!,
            unit: unit as Unit,
            text: `${token.text}${unit === '%' ? '' : ' '}${unit}`,
            pos: at(token),
          };
          state.index += 2;
        }
        break;
      }
      case 'choice': {
        const options = Object.keys(element.options);
        const option = token?.kind === 'word' ? lookup(element.options, token.text) : undefined;
        if (token && option) {
          fields[element.name] = { kind: 'word', value: token.text, pos: at(token) };
          state.index++;
          matchPattern(head, args, option, fields, state, error);
        } else {
          const suggestion = token?.kind === 'word' ? nearest(token.text, options) : undefined;
          fail(
            token,
            `expected one of ${options.map((o) => `\`${o}\``).join(', ')}${found}` +
              (suggestion ? `; did you mean \`${suggestion}\`?` : ''),
          );
        }
        break;
      }
    }
  }
}

function at(token: Token): Position {
  return { line: token.line, col: token.col };
}

function numberExpected(what: string, token: Token | undefined): string {
  if (token && isMalformedNumber(token)) {
    return `invalid number \`${token.text}\`: \`_\` may only stand single between digits`;
  }
  return `expected ${what} (a number)${token ? `, found ${describe(token)}` : ''}`;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'string':
      return `the string "${token.text}"`;
    case 'percent':
      return '`%`';
    default:
      return `\`${token.text}\``;
  }
}

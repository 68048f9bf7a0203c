/**
 * A lexer for PostgreSQL's SQL text, as far as counting statements needs: where tokens start and end,
 * so that a `;` inside a string, a quoted identifier, a dollar-quoted body or a comment is never taken
 * for a terminator. It follows the server's scanner (src/backend/parser/scan.l) with
 * `standard_conforming_strings = on`, which every session of this engine sets on each connection, so a
 * backslash in '…' is an ordinary character and only E'…' strings have backslash escapes.
 *
 * Covered: whitespace; `--` comments; `/* … *\/` comments, nested; '…' with '' (also after B, X, N, U&);
 * E'…' with \-escapes; "…" identifiers with "" (also U&"…"); $tag$ … $tag$ bodies (a tag cannot start
 * with a digit: `$1` is a parameter); words; numbers; single-character operators; ( ) ;.
 */

export type TokenKind =
  | 'word'
  | 'quoted-identifier'
  | 'string'
  | 'dollar-string'
  | 'parameter'
  | 'number'
  | 'open'
  | 'close'
  | 'semicolon'
  | 'operator';

export interface Token {
  kind: TokenKind;
  /** Offset of the first character in the text (UTF-16 index). */
  start: number;
  /** Offset after the last character. */
  end: number;
  /**
   * A word in lower case (how the server folds an unquoted identifier or keyword); a quoted
   * identifier's name with "" undone. Other tokens: their text.
   */
  value: string;
}

/** A text that cannot be tokenised: the server would refuse it with SQLSTATE 42601 too. */
export class SqlLexError extends Error {
  /** The server's code for a syntax error, so describeError classifies it like one. */
  readonly code = '42601';
  /** 1-based character position, as the server reports `position`. */
  readonly position: string;
  constructor(
    message: string,
    /** Offset of the token that could not be finished. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'SqlLexError';
    this.position = String(offset + 1);
  }
}

const isIdentStart = (c: string) => /[A-Za-z_]/.test(c) || c.charCodeAt(0) >= 0x80;
const isIdentPart = (c: string) => /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) >= 0x80;
const isDigit = (c: string) => c >= '0' && c <= '9';

/** What the server says for a token it could not finish, `at or near` the rest of the text. */
function unterminated(what: string, sql: string, start: number): SqlLexError {
  const near = sql.slice(start).split('\n')[0] ?? '';
  return new SqlLexError(`unterminated ${what} at or near "${near}"`, start);
}

/** End of a '…' string starting at `quote` (the opening quote), '' being an escaped quote. */
function standardStringEnd(sql: string, quote: number): number {
  for (let i = quote + 1; i < sql.length; i++) {
    if (sql[i] !== "'") continue;
    if (sql[i + 1] === "'") {
      i++;
      continue;
    }
    return i + 1;
  }
  throw unterminated('quoted string', sql, quote);
}

/** End of an E'…' string: a backslash escapes the next character, '' is a quote too. */
function escapeStringEnd(sql: string, quote: number): number {
  for (let i = quote + 1; i < sql.length; i++) {
    const c = sql[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c !== "'") continue;
    if (sql[i + 1] === "'") {
      i++;
      continue;
    }
    return i + 1;
  }
  throw unterminated('quoted string', sql, quote);
}

function quotedIdentifierEnd(sql: string, quote: number): number {
  for (let i = quote + 1; i < sql.length; i++) {
    if (sql[i] !== '"') continue;
    if (sql[i + 1] === '"') {
      i++;
      continue;
    }
    return i + 1;
  }
  throw unterminated('quoted identifier', sql, quote);
}

/** `$tag$` at `start`, or undefined when the `$` does not open a dollar quote. */
function dollarTag(sql: string, start: number): string | undefined {
  let i = start + 1;
  if (sql[i] === '$') return '$$';
  if (i >= sql.length || !isIdentStart(sql[i]!)) return undefined;
  while (i < sql.length && isIdentPart(sql[i]!) && sql[i] !== '$') i++;
  return sql[i] === '$' ? sql.slice(start, i + 1) : undefined;
}

function blockCommentEnd(sql: string, start: number): number {
  let depth = 0;
  for (let i = start; i < sql.length; i++) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i++;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i++;
      if (depth === 0) return i + 1;
    }
  }
  throw unterminated('/* comment', sql, start);
}

function numberEnd(sql: string, start: number): number {
  let i = start;
  while (i < sql.length && (isDigit(sql[i]!) || sql[i] === '_')) i++;
  if (sql[i] === '.' && sql[i + 1] !== '.') {
    i++;
    while (i < sql.length && isDigit(sql[i]!)) i++;
  }
  if ((sql[i] === 'e' || sql[i] === 'E') && /[0-9]|[+-][0-9]/.test(sql.slice(i + 1, i + 3))) {
    i += 2;
    while (i < sql.length && isDigit(sql[i]!)) i++;
  }
  return i;
}

/** The string or quoted identifier a prefix word (E, B, X, N, U&) opens at `at`, if any. */
function prefixedQuote(sql: string, word: string, at: number): { kind: TokenKind; end: number } | undefined {
  const next = sql[at];
  const lower = word.toLowerCase();
  if (next === "'" && lower === 'e') return { kind: 'string', end: escapeStringEnd(sql, at) };
  if (next === "'" && (lower === 'b' || lower === 'x' || lower === 'n'))
    return { kind: 'string', end: standardStringEnd(sql, at) };
  if (lower === 'u' && next === '&') {
    if (sql[at + 1] === "'") return { kind: 'string', end: standardStringEnd(sql, at + 1) };
    if (sql[at + 1] === '"') return { kind: 'quoted-identifier', end: quotedIdentifierEnd(sql, at + 1) };
  }
  return undefined;
}

/** Every token of `sql`, comments and whitespace left out. Throws SqlLexError on an unfinished token. */
export function lex(sql: string): Token[] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number, value = sql.slice(start, end)) => {
    tokens.push({ kind, start, end, value });
    return end;
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && next === '-') {
      const newline = sql.indexOf('\n', i);
      i = newline < 0 ? sql.length : newline + 1;
    } else if (c === '/' && next === '*') {
      i = blockCommentEnd(sql, i);
    } else if (c === "'") {
      i = push('string', i, standardStringEnd(sql, i));
    } else if (c === '"') {
      const end = quotedIdentifierEnd(sql, i);
      i = push('quoted-identifier', i, end, sql.slice(i + 1, end - 1).replaceAll('""', '"'));
    } else if (c === '$' && next !== undefined && isDigit(next)) {
      let end = i + 1;
      while (end < sql.length && isDigit(sql[end]!)) end++;
      i = push('parameter', i, end);
    } else if (c === '$' && dollarTag(sql, i) !== undefined) {
      const tag = dollarTag(sql, i)!;
      const close = sql.indexOf(tag, i + tag.length);
      if (close < 0) throw unterminated('dollar-quoted string', sql, i);
      i = push('dollar-string', i, close + tag.length);
    } else if (isIdentStart(c)) {
      let end = i + 1;
      while (end < sql.length && isIdentPart(sql[end]!)) end++;
      const word = sql.slice(i, end);
      const quoted = end - i <= 1 ? prefixedQuote(sql, word, end) : undefined;
      i = quoted ? push(quoted.kind, i, quoted.end) : push('word', i, end, word.toLowerCase());
    } else if (isDigit(c) || (c === '.' && next !== undefined && isDigit(next))) {
      i = push('number', i, numberEnd(sql, c === '.' ? i + 1 : i));
    } else if (c === '(') {
      i = push('open', i, i + 1);
    } else if (c === ')') {
      i = push('close', i, i + 1);
    } else if (c === ';') {
      i = push('semicolon', i, i + 1);
    } else {
      i = push('operator', i, i + 1);
    }
  }
  return tokens;
}

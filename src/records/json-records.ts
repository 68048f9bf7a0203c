/**
 * A streaming, bounded-memory reader that splits a landed JSON body into records.
 *
 * A hand-written byte scanner (iterative, never recursive) walks the body chunk by chunk. Outside the
 * records it is a full validating JSON tokenizer (the "envelope": brackets, keys, strings with their
 * escapes and UTF-8, numbers, literals), tracking the path of every value so that it can find the records
 * container and the document paths. Inside a record it only follows strings and brackets to find where the
 * record ends (and notes numbers JSON.parse would lose); the record's bytes are then decoded with a fatal
 * TextDecoder and parsed by JSON.parse, which validates them. When either rejects a record, the record's
 * bytes are scanned again by the validating tokenizer to name the exact path and byte of the problem.
 *
 * Memory: the bytes of the record (or captured value) in progress, copied out of a chunk only when the
 * record continues into the next one — never the whole body. The frame stack is bounded by maxDepth.
 *
 * Rules worth knowing:
 * - The first occurrence of the records container wins (a duplicate key later is read as envelope). The
 *   same for document paths captured outside any record; a document path inside a captured value is read
 *   from JSON.parse's result, where a duplicate key's last occurrence wins.
 * - A document path cannot be the container or hold it (the constructor throws UsageError): it would be
 *   the whole container.
 * - A UTF-8 BOM at the very start is skipped. Offsets in errors count from the first byte of the body.
 * - Numbers JSON.parse cannot hold exactly become RawNumber (see raw-number.ts); `text` is always the
 *   record's exact source text.
 */
import { UsageError, VaultlineError } from '../shared/errors.ts';
import { formatJsonPath, getPath, isPathPrefix, type PathSegment } from './json-path.ts';
import {
  JSON_NUMBER_RE,
  numberFromJsonText,
  rawNumberPlaceholder,
  reviveRawNumbers,
  toJsonText,
} from './raw-number.ts';

export interface RecordsReaderOptions {
  /**
   * Path to the records container (segments, without the trailing [*]). undefined: no records path — a
   * top-level array yields one record per element, any other top-level value is the single record.
   */
  container?: PathSegment[];
  /**
   * 'rows' (default): the container is an array, each element is a record. 'columns': the container is an
   * OBJECT of parallel arrays (Open-Meteo: {"time":[...],"temperature_2m":[...]}); record i is an object
   * with, for each key, element i of that key's array (null past the end of a shorter array; a key whose
   * value is not an array is copied into every record as is). The number of records is the length of the
   * longest array (no array: no records). The container is assembled whole (it is one "record" for memory
   * purposes). 'document': the whole document is the one record, whatever it is (no container option;
   * containerState 'not_array').
   */
  layout?: 'rows' | 'columns' | 'document';
  /**
   * Paths from the document root to values OUTSIDE the records that callers want. Captured (parsed)
   * wherever they appear, before or after the container.
   */
  documentPaths?: PathSegment[][];
  /** Maximum nesting depth of the whole document (the root value's container = depth 1). Default 256. */
  maxDepth?: number;
}

export interface ParsedRecord {
  /** 0-based position of the record in the container (in the columns layout: the array index). */
  index: number;
  /** Exact text of the record as it was in the body (columns layout: toJsonText of value). */
  text: string;
  /** The parsed value; numbers that JSON.parse cannot hold exactly are RawNumber. */
  value: unknown;
}

export type ContainerState = 'array' | 'null' | 'missing' | 'not_array';

export type PayloadReadErrorCode = 'malformed' | 'too_deep' | 'not_utf8';

export class PayloadReadError extends VaultlineError {
  readonly code: PayloadReadErrorCode;
  /** formatJsonPath of where it happened (`$.features[12].properties`). */
  readonly path: string;
  /** Byte offset in the body (the BOM, if any, counted). */
  readonly offset: number;
  /** What is wrong, without the path and offset. */
  readonly reason: string;
  constructor(code: PayloadReadErrorCode, reason: string, path: string, offset: number) {
    super(`${reason} at ${shortPath(path)} (byte ${offset})`);
    this.code = code;
    this.reason = reason;
    this.path = path;
    this.offset = offset;
  }
}

/** A path for a message: a very deep one (too_deep) cut in the middle; `path` keeps it whole. */
function shortPath(path: string): string {
  return path.length <= 120 ? path : `${path.slice(0, 60)}…${path.slice(-50)}`;
}

const DEFAULT_MAX_DEPTH = 256;

// Bytes
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

// Envelope states: between tokens …
const S_VALUE = 0; // a value must come (root, after ':' or after ',' in an array)
const S_VALUE_OR_END = 1; // after '['
const S_KEY_OR_END = 2; // after '{'
const S_KEY = 3; // after ',' in an object
const S_COLON = 4;
const S_COMMA_OR_END = 5; // after a value inside a container
const S_DONE = 6; // after the root value
// … and inside a token
const T_STRING = 7;
const T_ESCAPE = 8;
const T_UNICODE = 9;
const T_NUMBER = 10;
const T_LITERAL = 11;

// Number grammar states
const N_MINUS = 0; // after '-': a digit must come
const N_ZERO = 1; // a leading 0
const N_INT = 2;
const N_DOT = 3; // after '.': a digit must come
const N_FRAC = 4;
const N_E = 5; // after 'e': a sign or digit must come
const N_ESIGN = 6; // after the exponent's sign: a digit must come
const N_EXP = 7;

const K_OBJECT = 1;
const K_ARRAY = 2;

const CAP_NONE = 0;
const CAP_RECORD = 1;
const CAP_DOC = 2;
const CAP_COLUMNS = 3;

const MODE_ENVELOPE = 0;
const MODE_CAPTURE = 1;

/** Numbers with more significant digits than this, or this many leading zeros, are RawNumber (raw-number.ts). */
const MAX_EXACT_DIGITS = 15;
const MAX_LEADING_ZEROS = 300;

const fatalDecoder = new TextDecoder('utf-8', { fatal: true });
/** For bytes already validated as UTF-8 (envelope strings, the pieces of a rewritten record). */
const decoder = new TextDecoder('utf-8');
const EMPTY = new Uint8Array(0);

const BOM = [0xef, 0xbb, 0xbf];

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function describeByte(c: number): string {
  if (c >= 0x21 && c <= 0x7e) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** A byte that can never appear in UTF-8 as the first byte of a character. */
function isInvalidUtf8Lead(c: number): boolean {
  return (c >= 0x80 && c <= 0xc1) || c >= 0xf5;
}

function concat(parts: Uint8Array[], last: Uint8Array): Uint8Array {
  if (parts.length === 0) return last;
  return Buffer.concat(last.length === 0 ? parts : [...parts, last]);
}

interface ScannerConfig {
  container: PathSegment[] | undefined;
  layout: 'rows' | 'columns' | 'document';
  documentPaths: PathSegment[][];
  maxDepth: number;
  /** Validate only: never capture anything (used to explain why a record was rejected). */
  validateOnly: boolean;
  /** Where the scanned bytes sit in the body (validate mode). */
  basePath: PathSegment[];
  baseDepth: number;
  baseOffset: number;
}

class Scanner {
  private readonly cfg: ScannerConfig;
  private readonly frameLimit: number;
  private readonly containerLen: number;
  private readonly noContainer: boolean;

  // position
  private base: number;
  private bomPos: number;
  private started = false;
  private mode = MODE_ENVELOPE;
  private state = S_VALUE;
  out: ParsedRecord[] = [];
  recordCount = 0;

  // frames of the envelope
  private depth = 0;
  private readonly kinds: number[] = [];
  private readonly idx: number[] = [];
  private readonly keys: (string | undefined)[] = [];
  private recordsDepth = -1;
  containerSeen = false;
  containerState: ContainerState = 'missing';

  // tokens
  private strIsKey = false;
  private strEscaped = false;
  private utfNeed = 0;
  private utfLo = 0x80;
  private utfHi = 0xbf;
  private utfStart = 0;
  private hexLeft = 0;
  private numState = N_MINUS;
  private litText = '';
  private litPos = 0;

  // bytes being collected (a key, a captured scalar or a captured composite value)
  private collecting = false;
  private colStart = 0;
  private colStartAbs = 0;
  private colParts: Uint8Array[] = [];

  // what the current capture is for
  private capKind = CAP_NONE;
  private capDoc = -1;
  private scalarKind = CAP_NONE;
  // composite capture
  private capDepth = 0;
  private capLimit = 0;
  private capStack = new Uint8Array(64);
  private capInString = false;
  private capEscape = false;
  private capNum = false;
  private capNumSig = 0;
  private capNumLead = 0;
  private capNumExp = false;
  private capNumStart = 0;
  private capRaw: number[] | null = null;

  // document paths
  private readonly docValues: unknown[];
  private readonly docFound: boolean[];
  private docPending: number;
  private readonly maxDocLen: number;
  private readonly docLens: Set<number>;

  constructor(cfg: ScannerConfig) {
    this.cfg = cfg;
    this.frameLimit = cfg.maxDepth - cfg.baseDepth;
    this.noContainer = cfg.container === undefined;
    this.containerLen = cfg.container?.length ?? 0;
    this.base = cfg.baseOffset;
    this.bomPos = cfg.validateOnly ? 3 : 0;
    const docs = cfg.documentPaths;
    this.docValues = docs.map(() => undefined);
    this.docFound = docs.map(() => false);
    this.docPending = cfg.validateOnly ? 0 : docs.length;
    this.maxDocLen = docs.reduce((m, p) => Math.max(m, p.length), 0);
    this.docLens = new Set(docs.map((p) => p.length));
  }

  documentValues(): unknown[] {
    return [...this.docValues];
  }

  // -------------------------------------------------------------------------------------------------------
  // driving

  push(buf: Uint8Array): void {
    const n = buf.length;
    let i = 0;
    if (this.bomPos < 3) i = this.skipBom(buf);
    while (i < n) {
      i = this.mode === MODE_CAPTURE ? this.scanCapture(buf, i, n) : this.scanEnvelope(buf, i, n);
    }
    if (this.collecting) {
      if (this.colStart < n) this.colParts.push(new Uint8Array(buf.subarray(this.colStart, n)));
      this.colStart = 0;
    }
    this.base += n;
  }

  end(): void {
    if (this.bomPos > 0 && this.bomPos < 3)
      this.fail('malformed', 'the body is an incomplete byte order mark', 0);
    if (this.mode === MODE_CAPTURE) {
      this.fail('malformed', 'the body ends inside this value (unbalanced brackets)', 0);
    }
    if (this.state === T_NUMBER) {
      const s = this.numState;
      if (s !== N_ZERO && s !== N_INT && s !== N_FRAC && s !== N_EXP) {
        this.fail('malformed', 'the body ends inside a number', 0);
      }
      this.finishNumber(EMPTY, 0);
    }
    if (this.state !== S_DONE) {
      if (!this.started) this.fail('malformed', 'the body is empty (no JSON value)', 0);
      this.fail('malformed', `unexpected end of the body: ${this.expectation()}`, 0);
    }
    if (!this.containerSeen) this.containerState = 'missing';
  }

  private skipBom(buf: Uint8Array): number {
    let i = 0;
    while (this.bomPos < 3 && i < buf.length) {
      const c = buf[i]!;
      if (this.bomPos === 0 && c !== BOM[0]) {
        this.bomPos = 3;
        return i;
      }
      if (c !== BOM[this.bomPos]) {
        this.fail('not_utf8', `invalid UTF-8 (${describeByte(c)} after 0xef at the start of the body)`, i);
      }
      this.bomPos++;
      i++;
    }
    return i;
  }

  // -------------------------------------------------------------------------------------------------------
  // errors

  private pathSegments(): PathSegment[] {
    const segs: PathSegment[] = [...this.cfg.basePath];
    for (let j = 0; j < this.depth; j++) {
      if (this.kinds[j] === K_ARRAY) segs.push({ index: this.idx[j]! });
      else {
        const key = this.keys[j];
        if (key === undefined) break;
        segs.push({ key });
      }
    }
    return segs;
  }

  /** Throws; `i` is the index in the current chunk. */
  private fail(code: PayloadReadErrorCode, reason: string, i: number): never {
    throw this.error(code, reason, this.base + i);
  }

  private error(code: PayloadReadErrorCode, reason: string, offset: number): PayloadReadError {
    return new PayloadReadError(code, reason, formatJsonPath(this.pathSegments()), offset);
  }

  private unexpected(c: number, i: number, expected: string): never {
    if (isInvalidUtf8Lead(c)) this.fail('not_utf8', `invalid UTF-8 (${describeByte(c)})`, i);
    this.fail('malformed', `unexpected ${describeByte(c)}: ${expected}`, i);
  }

  private tooDeep(depth: number, i: number): never {
    this.fail(
      'too_deep',
      `the document nests deeper than maxDepth ${this.cfg.maxDepth} (depth ${depth} here)`,
      i,
    );
  }

  private expectation(): string {
    switch (this.state) {
      case S_VALUE:
        return 'expected a value';
      case S_VALUE_OR_END:
        return "expected a value or ']'";
      case S_KEY_OR_END:
        return "expected a key or '}'";
      case S_KEY:
        return 'expected a key (a string in double quotes)';
      case S_COLON:
        return "expected ':' after the key";
      case S_COMMA_OR_END:
        return this.kinds[this.depth - 1] === K_OBJECT ? "expected ',' or '}'" : "expected ',' or ']'";
      case S_DONE:
        return 'expected nothing more after the JSON value';
      case T_STRING:
      case T_ESCAPE:
      case T_UNICODE:
        return 'the string is not closed';
      case T_LITERAL:
        return `expected the literal ${this.litText}`;
      default:
        return 'the number is incomplete';
    }
  }

  /**
   * Scans a rejected value's bytes with the validating tokenizer, which throws the precise error. Returns
   * only when it finds nothing (the caller then throws a less precise one).
   */
  private explain(parts: Uint8Array[], startAbs: number, complete: boolean): void {
    const v = new Scanner({
      container: undefined,
      layout: 'rows',
      documentPaths: [],
      maxDepth: this.cfg.maxDepth,
      validateOnly: true,
      basePath: this.pathSegments(),
      baseDepth: this.cfg.baseDepth + this.depth,
      baseOffset: startAbs,
    });
    for (const p of parts) v.push(p);
    if (complete) v.end();
  }

  // -------------------------------------------------------------------------------------------------------
  // the envelope: a validating tokenizer

  private scanEnvelope(buf: Uint8Array, i: number, n: number): number {
    let state = this.state;
    for (; i < n; i++) {
      let c = buf[i]!;
      switch (state) {
        case T_STRING: {
          let need = this.utfNeed;
          let lo = this.utfLo;
          let hi = this.utfHi;
          for (; i < n; i++) {
            c = buf[i]!;
            if (need !== 0) {
              if (c < lo || c > hi) {
                this.fail('not_utf8', 'invalid UTF-8 in a string', this.utfStart - this.base);
              }
              need--;
              lo = 0x80;
              hi = 0xbf;
              continue;
            }
            if (c === QUOTE || c === BACKSLASH) break;
            if (c < 0x20) {
              this.fail(
                'malformed',
                `a string cannot hold the control character ${describeByte(c)} unescaped`,
                i,
              );
            }
            if (c >= 0x80) {
              this.utfStart = this.base + i;
              if (c >= 0xc2 && c <= 0xdf) need = 1;
              else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                if (c === 0xe0) lo = 0xa0;
                else if (c === 0xed) hi = 0x9f;
              } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                if (c === 0xf0) lo = 0x90;
                else if (c === 0xf4) hi = 0x8f;
              } else this.fail('not_utf8', `invalid UTF-8 in a string (${describeByte(c)})`, i);
            }
          }
          this.utfNeed = need;
          this.utfLo = lo;
          this.utfHi = hi;
          if (i === n) break;
          if (c === BACKSLASH) {
            this.strEscaped = true;
            state = T_ESCAPE;
            break;
          }
          // the closing quote
          if (this.strIsKey) {
            const bytes = this.takeCollected(buf, i + 1);
            const text = decoder.decode(bytes);
            this.keys[this.depth - 1] = this.strEscaped ? (JSON.parse(text) as string) : text.slice(1, -1);
            state = S_COLON;
          } else {
            if (this.scalarKind !== CAP_NONE) {
              const text = decoder.decode(this.takeCollected(buf, i + 1));
              this.deliverScalar(text, JSON.parse(text));
            }
            state = this.depth === 0 ? S_DONE : S_COMMA_OR_END;
          }
          break;
        }
        case T_ESCAPE:
          if (c === 0x75 /* u */) {
            this.hexLeft = 4;
            state = T_UNICODE;
          } else if (
            c === QUOTE ||
            c === BACKSLASH ||
            c === 0x2f /* / */ ||
            c === 0x62 /* b */ ||
            c === 0x66 /* f */ ||
            c === 0x6e /* n */ ||
            c === 0x72 /* r */ ||
            c === 0x74 /* t */
          ) {
            state = T_STRING;
          } else this.fail('malformed', `invalid escape \\${String.fromCharCode(c)} in a string`, i);
          break;
        case T_UNICODE:
          if (!isHex(c)) this.fail('malformed', `invalid \\u escape in a string (${describeByte(c)})`, i);
          if (--this.hexLeft === 0) state = T_STRING;
          break;
        case T_NUMBER: {
          const s = this.numState;
          if (c >= ZERO && c <= NINE) {
            if (s === N_ZERO) this.fail('malformed', 'a number cannot have a leading zero', i);
            this.numState =
              s === N_MINUS ? (c === ZERO ? N_ZERO : N_INT) : s === N_DOT ? N_FRAC : s >= N_E ? N_EXP : s;
          } else if (c === DOT && (s === N_ZERO || s === N_INT)) {
            this.numState = N_DOT;
          } else if ((c === 0x65 || c === 0x45) && (s === N_ZERO || s === N_INT || s === N_FRAC)) {
            this.numState = N_E;
          } else if ((c === PLUS || c === MINUS) && s === N_E) {
            this.numState = N_ESIGN;
          } else if (s === N_ZERO || s === N_INT || s === N_FRAC || s === N_EXP) {
            this.finishNumber(buf, i);
            state = this.state;
            i--; // the byte after the number is read again in the new state
          } else {
            this.unexpected(c, i, 'expected a digit in the number');
          }
          break;
        }
        case T_LITERAL:
          if (c !== this.litText.charCodeAt(this.litPos)) {
            this.unexpected(c, i, `expected the literal ${this.litText}`);
          }
          if (++this.litPos === this.litText.length) {
            if (this.scalarKind !== CAP_NONE) {
              this.deliverScalar(this.litText, this.litText === 'null' ? null : this.litText === 'true');
            }
            state = this.depth === 0 ? S_DONE : S_COMMA_OR_END;
          }
          break;
        default: {
          if (isWhitespace(c)) break;
          if (state === S_COMMA_OR_END) {
            const top = this.depth - 1;
            if (c === COMMA) {
              if (this.kinds[top] === K_ARRAY) {
                this.idx[top]!++;
                state = S_VALUE;
              } else {
                this.keys[top] = undefined;
                state = S_KEY;
              }
            } else if (c === (this.kinds[top] === K_ARRAY ? RBRACKET : RBRACE)) {
              state = this.closeFrame();
            } else
              this.unexpected(
                c,
                i,
                this.kinds[top] === K_ARRAY ? "expected ',' or ']'" : "expected ',' or '}'",
              );
          } else if (state === S_VALUE || state === S_VALUE_OR_END) {
            if (state === S_VALUE_OR_END && c === RBRACKET) state = this.closeFrame();
            else {
              this.state = state;
              const next = this.startValue(i, c);
              if (next < 0) return i + 1; // a capture starts
              state = next;
            }
          } else if (state === S_KEY_OR_END || state === S_KEY) {
            if (state === S_KEY_OR_END && c === RBRACE) state = this.closeFrame();
            else {
              if (c !== QUOTE) {
                this.state = state;
                this.unexpected(c, i, this.expectation());
              }
              this.strIsKey = true;
              this.strEscaped = false;
              this.startCollect(i);
              state = T_STRING;
            }
          } else if (state === S_COLON) {
            if (c !== COLON) this.unexpected(c, i, "expected ':' after the key");
            state = S_VALUE;
          } else {
            this.unexpected(c, i, 'expected nothing more after the JSON value (trailing data)');
          }
        }
      }
    }
    this.state = state;
    return n;
  }

  private closeFrame(): number {
    this.depth--;
    if (this.depth + 1 === this.recordsDepth) this.recordsDepth = -1;
    this.kinds.pop();
    this.idx.pop();
    this.keys.pop();
    return this.depth === 0 ? S_DONE : S_COMMA_OR_END;
  }

  private pushFrame(kind: number, i: number): void {
    if (this.depth + 1 > this.frameLimit) this.tooDeep(this.cfg.baseDepth + this.depth + 1, i);
    this.kinds.push(kind);
    this.idx.push(0);
    this.keys.push(undefined);
    this.depth++;
  }

  /** Whether the value starting now is at `target`. */
  private at(target: readonly PathSegment[]): boolean {
    if (this.depth !== target.length) return false;
    for (let j = 0; j < target.length; j++) {
      const s = target[j]!;
      if ('index' in s) {
        if (this.kinds[j] !== K_ARRAY || this.idx[j] !== s.index) return false;
      } else if (this.kinds[j] !== K_OBJECT || this.keys[j] !== s.key) return false;
    }
    return true;
  }

  /** A value starts with byte `c` at `i`. Returns the next state, or -1 when a composite capture starts. */
  private startValue(i: number, c: number): number {
    this.started = true;
    let kind = CAP_NONE;
    let doc = -1;
    if (!this.cfg.validateOnly) {
      const d = this.depth;
      if (d === this.recordsDepth) kind = CAP_RECORD;
      else if (
        !this.containerSeen &&
        d === this.containerLen &&
        (this.noContainer || this.at(this.cfg.container!))
      ) {
        this.containerSeen = true;
        if (this.cfg.layout === 'document') {
          this.containerState = 'not_array';
          kind = CAP_RECORD;
        } else if (this.cfg.layout === 'rows') {
          if (c === LBRACKET) {
            this.containerState = 'array';
            this.pushFrame(K_ARRAY, i);
            this.recordsDepth = this.depth;
            return S_VALUE_OR_END;
          }
          if (this.noContainer) {
            this.containerState = 'not_array';
            kind = CAP_RECORD;
          } else this.containerState = c === 0x6e ? 'null' : 'not_array';
        } else if (c === LBRACE) {
          this.containerState = 'array';
          kind = CAP_COLUMNS;
        } else this.containerState = c === 0x6e ? 'null' : 'not_array';
      }
      if (kind === CAP_NONE && this.docPending > 0 && this.docLens.has(d)) {
        const docs = this.cfg.documentPaths;
        for (let j = 0; j < docs.length; j++) {
          if (!this.docFound[j] && this.at(docs[j]!)) {
            kind = CAP_DOC;
            doc = j;
            break;
          }
        }
      }
    }
    if (c === LBRACE || c === LBRACKET) {
      if (kind === CAP_NONE) {
        this.pushFrame(c === LBRACE ? K_OBJECT : K_ARRAY, i);
        return c === LBRACE ? S_KEY_OR_END : S_VALUE_OR_END;
      }
      this.capLimit = this.frameLimit - this.depth;
      if (this.capLimit < 1) this.tooDeep(this.cfg.baseDepth + this.depth + 1, i);
      this.capKind = kind;
      this.capDoc = doc;
      this.capDepth = 1;
      this.capStack[1] = c;
      this.capInString = false;
      this.capEscape = false;
      this.capNum = false;
      this.capRaw = null;
      this.startCollect(i);
      this.mode = MODE_CAPTURE;
      return -1;
    }
    this.scalarKind = kind;
    this.capDoc = doc;
    if (c === QUOTE) {
      this.strIsKey = false;
      this.strEscaped = false;
      if (kind !== CAP_NONE) this.startCollect(i);
      return T_STRING;
    }
    if (c === MINUS || (c >= ZERO && c <= NINE)) {
      this.numState = c === MINUS ? N_MINUS : c === ZERO ? N_ZERO : N_INT;
      if (kind !== CAP_NONE) this.startCollect(i);
      return T_NUMBER;
    }
    if (c === 0x74 /* t */ || c === 0x66 /* f */ || c === 0x6e /* n */) {
      this.litText = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
      this.litPos = 1;
      return T_LITERAL;
    }
    return this.unexpected(c, i, this.expectation());
  }

  private finishNumber(buf: Uint8Array, end: number): void {
    if (this.scalarKind !== CAP_NONE) {
      const text = decoder.decode(this.takeCollected(buf, end));
      this.deliverScalar(text, numberFromJsonText(text));
    }
    this.state = this.depth === 0 ? S_DONE : S_COMMA_OR_END;
  }

  // -------------------------------------------------------------------------------------------------------
  // collecting bytes

  private startCollect(i: number): void {
    this.collecting = true;
    this.colStart = i;
    this.colStartAbs = this.base + i;
    this.colParts = [];
  }

  private takeCollected(buf: Uint8Array, end: number): Uint8Array {
    const bytes = concat(this.colParts, buf.subarray(this.colStart, end));
    this.collecting = false;
    this.colParts = [];
    return bytes;
  }

  // -------------------------------------------------------------------------------------------------------
  // inside a captured object or array: strings and brackets only

  private scanCapture(buf: Uint8Array, i: number, n: number): number {
    let depth = this.capDepth;
    let stack = this.capStack;
    if (this.capInString) {
      if (this.capEscape) {
        this.capEscape = false;
        i++;
      }
      for (; i < n; i++) {
        const d = buf[i]!;
        if (d === QUOTE) break;
        if (d === BACKSLASH) i++;
      }
      if (i >= n) {
        this.capEscape = i > n;
        return n;
      }
      this.capInString = false;
      i++;
    } else if (this.capNum) {
      let sig = this.capNumSig;
      let lead = this.capNumLead;
      let exp = this.capNumExp;
      for (; i < n; i++) {
        const d = buf[i]!;
        if (d >= ZERO && d <= NINE) {
          if (sig !== 0 || d !== ZERO) sig++;
          else lead++;
        } else if (d === 0x65 || d === 0x45) exp = true;
        else if (d !== DOT && d !== MINUS && d !== PLUS) break;
      }
      if (i === n) {
        this.capNumSig = sig;
        this.capNumLead = lead;
        this.capNumExp = exp;
        return n;
      }
      this.capNum = false;
      if (exp || sig > MAX_EXACT_DIGITS || lead > MAX_LEADING_ZEROS)
        this.addRaw(this.capNumStart, this.base + i);
    }
    for (; i < n; i++) {
      const c = buf[i]!;
      if (c === QUOTE) {
        for (i++; i < n; i++) {
          const d = buf[i]!;
          if (d === QUOTE) break;
          if (d === BACKSLASH) i++;
        }
        if (i >= n) {
          this.capInString = true;
          this.capEscape = i > n;
          this.capDepth = depth;
          return n;
        }
      } else if (c === LBRACE || c === LBRACKET) {
        depth++;
        if (depth > this.capLimit) this.captureTooDeep(buf, i, depth);
        if (depth >= stack.length) {
          const grown = new Uint8Array(stack.length * 2);
          grown.set(stack);
          this.capStack = stack = grown;
        }
        stack[depth] = c;
      } else if (c === RBRACE || c === RBRACKET) {
        if (stack[depth] !== c - 2) this.captureMismatch(buf, i);
        if (--depth === 0) {
          this.capDepth = 0;
          this.mode = MODE_ENVELOPE;
          this.state = this.depth === 0 ? S_DONE : S_COMMA_OR_END;
          this.finishCapture(this.takeCollected(buf, i + 1));
          return i + 1;
        }
      } else if (c <= NINE && (c >= ZERO || c === MINUS)) {
        const start = i;
        let sig = 0;
        let lead = 0;
        let exp = false;
        for (; i < n; i++) {
          const d = buf[i]!;
          if (d >= ZERO && d <= NINE) {
            if (sig !== 0 || d !== ZERO) sig++;
            else lead++;
          } else if (d === 0x65 || d === 0x45) exp = true;
          else if (d !== DOT && d !== MINUS && d !== PLUS) break;
        }
        if (i === n) {
          this.capNum = true;
          this.capNumSig = sig;
          this.capNumLead = lead;
          this.capNumExp = exp;
          this.capNumStart = this.base + start;
          this.capDepth = depth;
          return n;
        }
        if (exp || sig > MAX_EXACT_DIGITS || lead > MAX_LEADING_ZEROS)
          this.addRaw(this.base + start, this.base + i);
        i--; // the byte after the number is read again
      }
    }
    this.capDepth = depth;
    return n;
  }

  private addRaw(start: number, end: number): void {
    if (this.capRaw === null) this.capRaw = [];
    this.capRaw.push(start, end);
  }

  private captureTooDeep(buf: Uint8Array, i: number, depth: number): never {
    this.explain([...this.colParts, buf.subarray(this.colStart, i + 1)], this.colStartAbs, false);
    this.tooDeep(this.cfg.baseDepth + this.depth + depth, i);
  }

  private captureMismatch(buf: Uint8Array, i: number): never {
    this.explain([...this.colParts, buf.subarray(this.colStart, i + 1)], this.colStartAbs, false);
    this.fail('malformed', `unexpected ${describeByte(buf[i]!)}: brackets do not match`, i);
  }

  // -------------------------------------------------------------------------------------------------------
  // captured values

  /** Decodes and parses a captured composite value (`bytes` start at colStartAbs). */
  private parseCaptured(bytes: Uint8Array): { text: string; value: unknown } {
    const startAbs = this.colStartAbs;
    let text: string;
    try {
      text = fatalDecoder.decode(bytes);
    } catch {
      this.explain([bytes], startAbs, true);
      throw this.error('not_utf8', 'invalid UTF-8', startAbs);
    }
    try {
      const raw = this.capRaw;
      if (raw === null) return { text, value: JSON.parse(text) };
      const rewritten = rewriteRawNumbers(bytes, raw, startAbs);
      return { text, value: reviveRawNumbers(JSON.parse(rewritten.text), rewritten.count) };
    } catch (e) {
      if (e instanceof PayloadReadError) throw e;
      this.explain([bytes], startAbs, true);
      throw this.error('malformed', `invalid JSON (${e instanceof Error ? e.message : String(e)})`, startAbs);
    }
  }

  private finishCapture(bytes: Uint8Array): void {
    const { text, value } = this.parseCaptured(bytes);
    this.capRaw = null;
    this.deliver(this.capKind, text, value);
  }

  private deliverScalar(text: string, value: unknown): void {
    this.deliver(this.scalarKind, text, value);
    this.scalarKind = CAP_NONE;
  }

  private deliver(kind: number, text: string, value: unknown): void {
    if (kind === CAP_RECORD) {
      const index = this.depth === 0 ? 0 : this.idx[this.depth - 1]!;
      this.out.push({ index, text, value });
      this.recordCount++;
    } else if (kind === CAP_DOC) {
      this.docValues[this.capDoc] = value;
      this.docFound[this.capDoc] = true;
      this.docPending--;
    } else if (kind === CAP_COLUMNS) {
      this.emitColumns(value as Record<string, unknown>);
    }
    if (this.docPending > 0 && this.maxDocLen > this.depth) this.resolveInside(value);
  }

  /** Document paths that lie inside the value just captured (at the current path). */
  private resolveInside(value: unknown): void {
    const here = this.pathSegments();
    const docs = this.cfg.documentPaths;
    for (let j = 0; j < docs.length; j++) {
      const path = docs[j]!;
      if (this.docFound[j] || path.length <= here.length || !isPathPrefix(here, path)) continue;
      const found = getPath(value, path.slice(here.length));
      if (found.found) {
        this.docValues[j] = found.value;
        this.docFound[j] = true;
        this.docPending--;
      }
    }
  }

  private emitColumns(container: Record<string, unknown>): void {
    const keys = Object.keys(container);
    let count = 0;
    for (const key of keys) {
      const v = container[key];
      if (Array.isArray(v) && v.length > count) count = v.length;
    }
    for (let r = 0; r < count; r++) {
      const record: Record<string, unknown> = {};
      for (const key of keys) {
        const v = container[key];
        const item = Array.isArray(v) ? (r < v.length ? v[r] : null) : v;
        if (key === '__proto__') {
          Object.defineProperty(record, key, {
            value: item,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else record[key] = item;
      }
      this.out.push({ index: r, text: toJsonText(record), value: record });
      this.recordCount++;
    }
  }
}

/**
 * The record's text for JSON.parse with every raw number (absolute [start, end) offsets in `raw`) replaced
 * by its placeholder string. A token that is not a valid JSON number is left alone: JSON.parse rejects it.
 */
function rewriteRawNumbers(
  bytes: Uint8Array,
  raw: number[],
  startAbs: number,
): { text: string; count: number } {
  const pieces: string[] = [];
  let count = 0;
  let prev = 0;
  for (let k = 0; k < raw.length; k += 2) {
    const s = raw[k]! - startAbs;
    const e = raw[k + 1]! - startAbs;
    const token = decoder.decode(bytes.subarray(s, e));
    if (!JSON_NUMBER_RE.test(token)) continue;
    pieces.push(decoder.decode(bytes.subarray(prev, s)), rawNumberPlaceholder(token));
    prev = e;
    count++;
  }
  pieces.push(decoder.decode(bytes.subarray(prev)));
  return { text: pieces.join(''), count };
}

/**
 * Splits a JSON body into records, chunk by chunk (see the top of this file). Not reusable after it has
 * thrown.
 */
export class RecordsReader {
  private readonly scanner: Scanner;
  private ended = false;
  private failed: unknown;

  constructor(options: RecordsReaderOptions = {}) {
    const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    if (!Number.isInteger(maxDepth) || maxDepth < 1) {
      throw new UsageError(`maxDepth must be a whole number of at least 1, got ${maxDepth}`);
    }
    const container = options.container;
    if (options.layout === 'document' && container !== undefined) {
      throw new UsageError(
        'the document layout reads the whole document as one record: it takes no container',
      );
    }
    const documentPaths = options.documentPaths ?? [];
    for (const path of documentPaths) {
      if (isPathPrefix(path, container ?? [])) {
        throw new UsageError(
          `the document path ${formatJsonPath(path)} holds the records container ${formatJsonPath(container ?? [])}: ` +
            'only values outside the records can be captured',
        );
      }
    }
    this.scanner = new Scanner({
      container,
      layout: options.layout ?? 'rows',
      documentPaths,
      maxDepth,
      validateOnly: false,
      basePath: [],
      baseDepth: 0,
      baseOffset: 0,
    });
  }

  /** Feeds the next chunk of the (already gunzipped) body; returns the records completed by it. Throws PayloadReadError. */
  push(chunk: Uint8Array): ParsedRecord[] {
    this.check();
    const s = this.scanner;
    s.out = [];
    try {
      s.push(chunk);
    } catch (e) {
      this.failed = e;
      throw e;
    }
    return s.out;
  }

  /**
   * End of the body: throws PayloadReadError when the document is incomplete, empty, or followed by anything
   * but whitespace; returns any remaining records.
   */
  end(): ParsedRecord[] {
    this.check();
    const s = this.scanner;
    s.out = [];
    try {
      s.end();
    } catch (e) {
      this.failed = e;
      throw e;
    }
    this.ended = true;
    return s.out;
  }

  /**
   * Whether the container was found as an array, was null, was missing, or was some other value. With no
   * container option: 'array' for a top-level array, else 'not_array' (the document is then the one
   * record). In the columns layout 'array' means it was found as an object. Final after end().
   */
  get containerState(): ContainerState {
    return this.scanner.containerState;
  }

  /** The value at each of documentPaths, or undefined where the document has nothing there. Final after end(). */
  documentValues(): (unknown | undefined)[] {
    return this.scanner.documentValues();
  }

  /** Records emitted so far. */
  get recordCount(): number {
    return this.scanner.recordCount;
  }

  private check(): void {
    if (this.failed !== undefined) throw this.failed;
    if (this.ended) throw new Error('RecordsReader: end() was already called');
  }
}

/** Reads a whole body at once (tests, small payloads). */
export function readAllRecords(
  body: Uint8Array,
  options?: RecordsReaderOptions,
): { records: ParsedRecord[]; reader: RecordsReader } {
  const reader = new RecordsReader(options);
  const records = reader.push(body);
  for (const r of reader.end()) records.push(r);
  return { records, reader };
}

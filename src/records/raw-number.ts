import { randomBytes } from 'node:crypto';

/**
 * A JSON number whose text a JS number cannot hold exactly, kept as the text the payload had.
 *
 * Which numbers (`isLossyNumberText`): more than 15 significant digits (counted from the first non-zero
 * digit of the mantissa to its last digit, trailing zeros included: `12345678901234567890`,
 * `3.141592653589793238`, `9007199254740993`), any exponent (`1e5`, `1e400`, `1e-400`, `2.5E-3`), or so many
 * leading zeros that the value underflows (`0.` then 300+ zeros then a digit). Anything else has at most
 * 15 significant digits and no exponent, which a double always round-trips to the same decimal value
 * (`-0.000000000000000000001` stays the number -1e-21).
 *
 * `toJSON()` returns the text as a string, so a plain `JSON.stringify` never silently rounds it; use
 * `toJsonText` to write it back as a number.
 */
export class RawNumber {
  constructor(readonly text: string) {}
  /** The nearest double (what JSON.parse would have given: may be rounded, Infinity or 0). */
  toNumber(): number {
    return Number(this.text);
  }
  toString(): string {
    return this.text;
  }
  toJSON(): string {
    return this.text;
  }
}

export function isRawNumber(v: unknown): v is RawNumber {
  return v instanceof RawNumber;
}

/** Significant digits above which a decimal is not guaranteed to survive a double (DBL_DIG). */
const MAX_EXACT_DIGITS = 15;
/** Leading zeros from which a plain decimal (no exponent) is near or below the double range. */
const MAX_LEADING_ZEROS = 300;

/** Whether a (grammatically valid) JSON number text is one JSON.parse would not hold exactly. See RawNumber. */
export function isLossyNumberText(text: string): boolean {
  let significant = 0;
  let leadingZeros = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x65 || c === 0x45) return true; // e E
    if (c >= 0x30 && c <= 0x39) {
      if (significant !== 0 || c !== 0x30) significant++;
      else leadingZeros++;
    }
  }
  return significant > MAX_EXACT_DIGITS || leadingZeros > MAX_LEADING_ZEROS;
}

/** The value of a JSON number token: a number, or a RawNumber when a number would lose it. */
export function numberFromJsonText(text: string): number | RawNumber {
  return isLossyNumberText(text) ? new RawNumber(text) : Number(text);
}

/** JSON number grammar (RFC 8259). */
export const JSON_NUMBER_RE = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

const NONCE = randomBytes(8).toString('hex');

/**
 * The prefix of the placeholder strings that stand for raw numbers while a record goes through
 * JSON.parse: a NUL character (which JSON text can only hold escaped), a tag and a per-process random
 * nonce, so no string of a payload can be mistaken for one.
 */
export const RAW_NUMBER_MARKER = `\u0000vlnum:${NONCE}:`;
/** RAW_NUMBER_MARKER as it is written inside a JSON string literal (the NUL escaped). */
export const RAW_NUMBER_MARKER_JSON = `\\u0000vlnum:${NONCE}:`;

/** A number's text as the JSON string literal (quotes included) that reviveRawNumbers turns into a RawNumber after JSON.parse. */
export function rawNumberPlaceholder(text: string): string {
  return `"${RAW_NUMBER_MARKER_JSON}${text}"`;
}

/**
 * Replaces, in a value JSON.parse made from a text with `expected` placeholders, every placeholder string
 * by its RawNumber (in place; returns the value, which is itself replaced when it is a placeholder).
 * Iterative, and faster than a JSON.parse reviver. Fewer placeholders found as values than expected means
 * one was an object key: the text had a number where a key must be, a SyntaxError as JSON.parse of the
 * original text would have thrown.
 */
export function reviveRawNumbers(value: unknown, expected: number): unknown {
  if (typeof value === 'string') {
    if (expected === 1 && value.startsWith(RAW_NUMBER_MARKER))
      return new RawNumber(value.slice(RAW_NUMBER_MARKER.length));
    throw new SyntaxError('a number cannot be an object key');
  }
  let found = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && found < expected) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        if (typeof item === 'string') {
          if (item.startsWith(RAW_NUMBER_MARKER)) {
            v[i] = new RawNumber(item.slice(RAW_NUMBER_MARKER.length));
            found++;
          }
        } else if (item !== null && typeof item === 'object') stack.push(item);
      }
    } else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const key in o) {
        const item = o[key];
        if (typeof item === 'string') {
          if (item.startsWith(RAW_NUMBER_MARKER)) {
            const raw = new RawNumber(item.slice(RAW_NUMBER_MARKER.length));
            if (key === '__proto__')
              Object.defineProperty(o, key, {
                value: raw,
                enumerable: true,
                writable: true,
                configurable: true,
              });
            else o[key] = raw;
            found++;
          }
        } else if (item !== null && typeof item === 'object') stack.push(item);
      }
    }
  }
  if (found < expected) throw new SyntaxError('a number cannot be an object key');
  return value;
}

const PLACEHOLDER_RE = new RegExp(`"${RAW_NUMBER_MARKER_JSON.replaceAll('\\', '\\\\')}([^"]*)"`, 'g');

/** JSON.stringify(value), with every RawNumber written as its raw text (a JSON number). */
export function toJsonText(value: unknown): string {
  let sawRaw = false;
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    // `this[key]` is the value before toJSON ran (RawNumber.toJSON gives a plain string).
    const original = this[key];
    if (original instanceof RawNumber) {
      sawRaw = true;
      return RAW_NUMBER_MARKER + original.text;
    }
    return v;
  });
  if (text === undefined) return 'null';
  return sawRaw ? text.replace(PLACEHOLDER_RE, '$1') : text;
}

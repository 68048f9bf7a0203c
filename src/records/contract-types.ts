import { didYouMean } from '../shared/did-you-mean.ts';

/**
 * The portable column types a source contract declares (`data_type:` in `_sources.yml`). Each engine maps
 * them to its own SQL type; values are converted to canonical text for them by src/records/convert.ts.
 */
export type ContractType =
  | { kind: 'text' }
  | { kind: 'smallint' }
  | { kind: 'integer' }
  | { kind: 'bigint' }
  | { kind: 'double' }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'boolean' }
  | { kind: 'date' }
  | { kind: 'timestamp' }
  | { kind: 'json' };

type SimpleKind = Exclude<ContractType['kind'], 'decimal'>;

/** Every spelling without parameters, and the kind it means. `decimal`/`numeric` alone mean decimal(18,3). */
const SIMPLE_NAMES = new Map<string, SimpleKind | 'decimal'>([
  ['text', 'text'],
  ['varchar', 'text'],
  ['string', 'text'],
  ['smallint', 'smallint'],
  ['int2', 'smallint'],
  ['integer', 'integer'],
  ['int', 'integer'],
  ['int4', 'integer'],
  ['bigint', 'bigint'],
  ['int8', 'bigint'],
  ['long', 'bigint'],
  ['double', 'double'],
  ['float', 'double'],
  ['float8', 'double'],
  ['double precision', 'double'],
  ['real', 'double'],
  ['float4', 'double'],
  ['decimal', 'decimal'],
  ['numeric', 'decimal'],
  ['boolean', 'boolean'],
  ['bool', 'boolean'],
  ['date', 'date'],
  ['timestamp', 'timestamp'],
  ['datetime', 'timestamp'],
  ['json', 'json'],
  ['jsonb', 'json'],
]);

const DEFAULT_PRECISION = 18;
const DEFAULT_SCALE = 3;
const MAX_PRECISION = 38;

const ACCEPTED =
  'text, varchar, varchar(n), string, smallint, int2, integer, int, int4, bigint, int8, long, double, float, ' +
  'float8, double precision, real, float4, decimal, numeric, decimal(p), decimal(p,s) (1 ≤ p ≤ 38, 0 ≤ s ≤ p; ' +
  'default 18,3), boolean, bool, date, timestamp, datetime, json, jsonb';

const DECIMAL_RE = /^(?:decimal|numeric) ?\( ?(\d+) ?(?:, ?(\d+) ?)?\)$/;
const VARCHAR_RE = /^varchar ?\( ?(\d+) ?\)$/;
const WHITESPACE_RE = /\s+/g;

/**
 * Case-insensitive, trimmed (inner whitespace may be any run of blanks): text|varchar|string|varchar(n) → text;
 * smallint|int2; integer|int|int4; bigint|int8|long; double|float|float8|double precision|real|float4 → double;
 * decimal|numeric (default 18,3)|decimal(p)|decimal(p,s) (1 ≤ p ≤ 38, 0 ≤ s ≤ p; `decimal(p)` has scale 0);
 * boolean|bool; date; timestamp|datetime; json|jsonb. The length of varchar(n) is not enforced.
 * Anything else → {error} listing the accepted names, with a did-you-mean for a near miss ("integr").
 */
export function parseContractType(text: string): { type: ContractType } | { error: string } {
  if (typeof text !== 'string') return { error: `data_type must be a string; accepted: ${ACCEPTED}` };
  const name = text.trim().toLowerCase().replace(WHITESPACE_RE, ' ');
  if (name === '') return { error: `data_type is empty; accepted: ${ACCEPTED}` };

  const simple = SIMPLE_NAMES.get(name);
  if (simple === 'decimal')
    return { type: { kind: 'decimal', precision: DEFAULT_PRECISION, scale: DEFAULT_SCALE } };
  if (simple !== undefined) return { type: { kind: simple } as ContractType };

  const decimal = DECIMAL_RE.exec(name);
  if (decimal) {
    const precision = Number(decimal[1]);
    const scale = decimal[2] === undefined ? 0 : Number(decimal[2]);
    if (precision < 1 || precision > MAX_PRECISION) {
      return {
        error: `decimal precision must be between 1 and ${MAX_PRECISION}, got ${precision} in "${text}"`,
      };
    }
    if (scale > precision) {
      return {
        error: `decimal scale must be between 0 and the precision (${precision}), got ${scale} in "${text}"`,
      };
    }
    return { type: { kind: 'decimal', precision, scale } };
  }

  const varchar = VARCHAR_RE.exec(name);
  if (varchar) {
    if (Number(varchar[1]) < 1) return { error: `varchar length must be at least 1 in "${text}"` };
    return { type: { kind: 'text' } };
  }

  if (name.startsWith('decimal') || name.startsWith('numeric')) {
    return {
      error: `malformed data_type "${text}": write decimal, decimal(p) or decimal(p,s) with 1 ≤ p ≤ 38 and 0 ≤ s ≤ p`,
    };
  }
  if (name.startsWith('varchar(')) {
    return { error: `malformed data_type "${text}": write varchar or varchar(n) with a positive length n` };
  }
  const suggestion = didYouMean(name, SIMPLE_NAMES.keys());
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  return { error: `unknown data_type "${text}"${hint}; accepted: ${ACCEPTED}` };
}

/** The canonical portable name: text, smallint, integer, bigint, double, decimal(p,s), boolean, date, timestamp, json. */
export function contractTypeName(t: ContractType): string {
  return t.kind === 'decimal' ? `decimal(${t.precision},${t.scale})` : t.kind;
}

import type { ContractColumn, SourceContract } from './contract.ts';
import { contractTypeName } from './contract-types.ts';
import { convertValue, rejectValueText } from './convert.ts';
import { getPath } from './json-path.ts';
import type { ParsedRecord } from './json-records.ts';

/**
 * Turns parsed records into rows of a raw records table (canonical text per column, cast by the
 * engine's bulk path) by the source contract. Pure: the caller streams, appends and commits.
 *
 * Row layout, the same for every raw table (src/run/sources/raw-tables.ts creates the columns in this
 * order): the metadata columns of RAW_META_COLUMNS, then `_record` (the record's exact JSON text), then
 * one column per contract column.
 */
export const RAW_META_COLUMNS = [
  '_landing_key',
  '_record_index',
  '_ingest_seq',
  '_load_ts',
  '_record_source',
  '_request_url',
  '_request_params',
] as const;

/** What every row of one landed object shares. */
export interface ObjectContext {
  key: string;
  ingestSeq: number;
  /** Canonical timestamp text of the sidecar's load_ts. */
  loadTs: string;
  recordSource: string;
  requestUrl: string;
  /** JSON text of the sidecar's (redacted) request params. */
  requestParams: string;
}

export interface Reject {
  key: string;
  recordIndex: number;
  column: string;
  path: string;
  dataType: string;
  rawValue: string;
  reason: string;
}

/** A value that does not convert in a column declared `on_error: fail`: the payload is quarantined. */
export class RejectedValueError extends Error {
  constructor(readonly reject: Reject) {
    super(
      `record ${reject.recordIndex}, column ${reject.column} (${reject.path}, ${reject.dataType}): ${reject.reason}; ` +
        'the column says on_error: fail',
    );
    this.name = 'RejectedValueError';
  }
}

export class RowBuilder {
  /** Per column, the records of this object without the field. */
  readonly missing = new Map<string, number>();
  rejectCount = 0;
  private readonly recordColumns: { column: ContractColumn; index: number }[] = [];
  private readonly documentColumns: { column: ContractColumn; index: number }[] = [];
  private documentTexts: (string | null)[] | undefined;

  constructor(
    private readonly context: ObjectContext,
    private readonly contract: SourceContract | undefined,
  ) {
    const offset = RAW_META_COLUMNS.length + 1;
    (contract?.columns ?? []).forEach((column, i) => {
      (column.documentPath ? this.documentColumns : this.recordColumns).push({ column, index: offset + i });
    });
  }

  get width(): number {
    return RAW_META_COLUMNS.length + 1 + (this.contract?.columns.length ?? 0);
  }

  get hasDocumentColumns(): boolean {
    return this.documentColumns.length > 0;
  }

  /** The document-level values, converted once (call when they are known; before that they are NULL). */
  setDocumentValues(values: (unknown | undefined)[], rejects: Reject[]): void {
    this.documentTexts = this.documentColumns.map(({ column }, i) => {
      const value = values[i];
      if (value === undefined) {
        this.missing.set(column.name, (this.missing.get(column.name) ?? 0) + 1);
        return null;
      }
      return this.convert(column, value, -1, rejects);
    });
  }

  /** The document paths the reader must capture, in documentColumns order. */
  documentPaths() {
    return this.documentColumns.map(({ column }) => column.documentPath!);
  }

  /** The document columns' positions and current texts, for filling rows appended before they were known. */
  documentAssignments(): { column: ContractColumn; text: string | null }[] {
    return this.documentColumns.map(({ column }, i) => ({ column, text: this.documentTexts?.[i] ?? null }));
  }

  row(record: ParsedRecord, rejects: Reject[]): (string | null)[] {
    const c = this.context;
    const out: (string | null)[] = new Array(this.width).fill(null);
    out[0] = c.key;
    out[1] = String(record.index);
    out[2] = String(c.ingestSeq);
    out[3] = c.loadTs;
    out[4] = c.recordSource;
    out[5] = c.requestUrl;
    out[6] = c.requestParams;
    out[7] = record.text;
    for (const { column, index } of this.recordColumns) {
      const found = firstFound(record.value, column);
      if (!found.found) {
        this.missing.set(column.name, (this.missing.get(column.name) ?? 0) + 1);
        continue;
      }
      out[index] = this.convert(column, found.value, record.index, rejects);
    }
    if (this.documentTexts) {
      this.documentColumns.forEach(({ index }, i) => {
        out[index] = this.documentTexts![i] ?? null;
      });
    }
    return out;
  }

  private convert(
    column: ContractColumn,
    value: unknown,
    recordIndex: number,
    rejects: Reject[],
  ): string | null {
    const converted = convertValue(value, column.type, column.format ? { format: column.format } : undefined);
    if (converted.ok) return converted.text;
    const reject: Reject = {
      key: this.context.key,
      recordIndex,
      column: column.name,
      path: column.pathText,
      dataType: contractTypeName(column.type),
      rawValue: rejectValueText(value),
      reason: converted.reason,
    };
    if (column.onError === 'fail') throw new RejectedValueError(reject);
    this.rejectCount++;
    rejects.push(reject);
    return null;
  }
}

function firstFound(
  value: unknown,
  column: ContractColumn,
): { found: true; value: unknown } | { found: false } {
  for (const path of column.paths) {
    const found = getPath(value, path);
    // The first alternative present wins: with [rocket.id, rocket], a populated object gives its id
    // and a plain id string (which has no `.id` to step into) is taken by the second path.
    if (found.found) return found;
  }
  return { found: false };
}

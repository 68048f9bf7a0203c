import { createReadStream } from 'node:fs';

/**
 * Records of a CSV file, streamed (memory bounded by one record): RFC 4180 — comma-separated, fields
 * optionally in double quotes with "" for a quote, quoted fields may hold commas and line breaks,
 * lines end with LF, CRLF or CR; a UTF-8 byte order mark at the start is dropped, blank lines are
 * skipped. A state machine over characters, so a chunk may end anywhere.
 */
export interface CsvRecord {
  fields: string[];
  /** 1-based line the record starts on, for messages. */
  line: number;
}

export class CsvFormatError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvFormatError';
  }
}

type State = 'start' | 'unquoted' | 'quoted' | 'quote-in-quoted';

export async function* csvRecords(path: string): AsyncGenerator<CsvRecord> {
  let state: State = 'start';
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let afterCr = false;
  let first = true;

  const endField = () => {
    fields.push(field);
    field = '';
  };
  /** The finished record, or undefined for a blank line. */
  const endRecord = (wasQuoted: boolean): CsvRecord | undefined => {
    const blank = fields.length === 0 && field === '' && !wasQuoted;
    endField();
    const record = { fields, line: recordLine };
    fields = [];
    return blank ? undefined : record;
  };

  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
    let text = chunk as string;
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    for (const c of text) {
      if (afterCr) {
        afterCr = false;
        if (c === '\n' && state !== 'quoted') continue;
      }
      if (state === 'quoted') {
        if (c === '"') state = 'quote-in-quoted';
        else {
          if (c === '\n') line++;
          field += c;
        }
        continue;
      }
      if (state === 'quote-in-quoted' && c === '"') {
        field += '"';
        state = 'quoted';
        continue;
      }
      const wasQuoted = state === 'quote-in-quoted';
      if (c === ',') {
        endField();
        state = 'start';
      } else if (c === '\n' || c === '\r') {
        const record = endRecord(wasQuoted);
        if (record) yield record;
        state = 'start';
        afterCr = c === '\r';
        line++;
        recordLine = line;
      } else if (wasQuoted) {
        throw new CsvFormatError(`unexpected ${JSON.stringify(c)} after a closing quote`, line);
      } else if (c === '"' && state === 'start') {
        state = 'quoted';
      } else {
        field += c;
        state = 'unquoted';
      }
    }
  }
  if (state === 'quoted') throw new CsvFormatError('a quoted field is never closed', recordLine);
  const record = endRecord(state === 'quote-in-quoted');
  if (record) yield record;
}

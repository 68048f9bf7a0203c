import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CsvFormatError, csvRecords } from './csv-records.ts';
import { ColumnSniffer } from './csv-types.ts';

const dir = mkdtempSync(join(tmpdir(), 'vaultline-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function read(text: string): Promise<string[][]> {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, text);
  const out: string[][] = [];
  for await (const record of csvRecords(path)) out.push(record.fields);
  return out;
}

describe('seed CSV records', () => {
  test('quotes, escaped quotes, line breaks inside quotes, CRLF and CR, a BOM, blank lines', async () => {
    assert.deepEqual(await read('\ufeffa,b\r\n"x,1","say ""hi"""\r\n\r\n"multi\r\nline",\rlast,""\n'), [
      ['a', 'b'],
      ['x,1', 'say "hi"'],
      ['multi\r\nline', ''],
      ['last', ''],
    ]);
    assert.deepEqual(await read('a,b\n1,2'), [
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  test('a quoted field across the 64 KB chunks of the file stream', async () => {
    const long = 'y'.repeat(70_000);
    const text = `a,b\n"${'x'.repeat(65_530)}""${long}",2\n`;
    const [, row] = await read(text);
    assert.equal(row?.[0], `${'x'.repeat(65_530)}"${long}`);
    assert.equal(row?.[1], '2');
  });

  test('malformed quoting is an error with its line', async () => {
    await assert.rejects(
      read('a\n"open\n'),
      (error: unknown) => error instanceof CsvFormatError && error.line === 2,
    );
    await assert.rejects(read('a\n"x"y\n'), /line 2: unexpected "y" after a closing quote/);
  });
});

describe('seed column types', () => {
  const sniff = (...values: string[]) => {
    const sniffer = new ColumnSniffer();
    for (const v of values) sniffer.see(v);
    return sniffer.type;
  };
  test('as DuckDB sniffs the simple cases', () => {
    assert.equal(sniff(), 'text');
    assert.equal(sniff('true', 'FALSE'), 'boolean');
    assert.equal(sniff('1', '-2', '9223372036854775807'), 'bigint');
    assert.equal(sniff('1', '9223372036854775808'), 'double precision');
    assert.equal(sniff('1', '2.5', '1e3'), 'double precision');
    assert.equal(sniff('007'), 'text');
    assert.equal(sniff('2024-02-29', '2024-01-01'), 'date');
    assert.equal(sniff('2023-02-29'), 'text');
    assert.equal(sniff('2024-01-01', '2024-01-01 10:00:00.123'), 'timestamp');
    assert.equal(sniff('2024-01-01T25:00'), 'text');
    assert.equal(sniff('1', 'x'), 'text');
  });
});

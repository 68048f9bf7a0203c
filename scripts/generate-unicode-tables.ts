// Writes src/engine/postgres/unicode-tables.ts from the installed DuckDB (see unicode-tables-source.ts).
// Run after upgrading @duckdb/node-api when unicode-tables.test.ts says the tables changed:
// `node --import tsx scripts/generate-unicode-tables.ts` (a change alters hash keys of non-ASCII text).
import { writeFileSync } from 'node:fs';
import { openDuckDbSession } from '../src/engine/duckdb/session.ts';
import { renderUnicodeTablesModule, unicodeTablesFromDuckDb } from '../src/engine/postgres/unicode-tables-source.ts';

const session = await openDuckDbSession(':memory:');
try {
  const tables = await unicodeTablesFromDuckDb(session);
  const path = new URL('../src/engine/postgres/unicode-tables.ts', import.meta.url);
  writeFileSync(path, renderUnicodeTablesModule(tables));
  console.log(`wrote ${path.pathname}: ${tables.upper.length} uppercase mappings, ${tables.trimmed.length} spaces`);
} finally {
  await session.close();
}

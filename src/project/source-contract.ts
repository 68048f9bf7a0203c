import {
  type ContractColumn,
  DEFAULT_MAX_DEPTH,
  type RecordsSpec,
  type SourceContract,
  type Tolerance,
} from '../records/contract.ts';
import { parseContractType } from '../records/contract-types.ts';
import { checkFormat } from '../records/convert.ts';
import { type PathSegment, parseJsonPath } from '../records/json-path.ts';
import type { Diagnostic } from '../shared/diagnostics.ts';
import type { ColumnProps, SourceProps, SourceTableProps } from './properties.ts';

/**
 * The records spec, declared contract and tolerance of one source table, from its YAML, with every
 * problem collected as a diagnostic naming the file and line (src/run/sources/CONTEXT.md explains
 * the contract to users).
 */
export function sourceReading(
  source: SourceProps,
  table: SourceTableProps,
  diagnostics: Diagnostic[],
): { records: RecordsSpec; contract?: SourceContract; tolerance: Tolerance } {
  const node = `${source.name}.${table.name}`;
  const problem = (line: number, message: string, hint?: string) =>
    diagnostics.push({ file: table.file, line, node, message, hint, severity: 'error' });

  const records: RecordsSpec = {
    layout: table.sql !== undefined ? 'document' : (table.recordsLayout ?? 'rows'),
    missing: table.missingRecords ?? 'quarantine',
    maxDepth: table.maxDepth ?? DEFAULT_MAX_DEPTH,
  };
  if (table.records !== undefined) {
    const parsed = tryPath(table.records);
    if ('error' in parsed) {
      problem(
        table.recordsLine,
        `records: "${table.records}" is not a supported JSON path: ${parsed.error}`,
        'use $.key[*] steps, e.g. "$.features[*]", "$[*]", "$[1][*]" or "$.data.items[*]"',
      );
    } else {
      records.container = parsed.segments;
      if (records.layout === 'columns' && parsed.wildcard) {
        problem(
          table.recordsLine,
          `records: "${table.records}" ends in [*], but records_layout is columns`,
          'with records_layout: columns, records names the object of parallel arrays, e.g. "$.hourly"',
        );
      }
    }
  } else if (records.layout === 'columns') {
    problem(
      table.line,
      'records_layout: columns needs records: (the object of parallel arrays, e.g. "$.hourly")',
    );
  }

  const declared = table.columns.some(
    (c) => c.dataType !== undefined || c.path !== undefined || c.documentPath !== undefined,
  );
  let contract: SourceContract | undefined;
  if (declared && table.sql !== undefined) {
    problem(
      table.line,
      'a sql: source cannot declare column paths or types',
      'type the columns in the SQL itself, or use records: with declared columns',
    );
  } else if (declared) {
    contract = { columns: [] };
    const seen = new Set<string>();
    for (const column of table.columns) {
      const built = contractColumn(column, (message, hint) => problem(column.line, message, hint));
      if (!built) continue;
      const lower = column.name.toLowerCase();
      if (seen.has(lower)) problem(column.line, `column ${column.name} is declared twice`);
      else if (lower.startsWith('_')) {
        problem(
          column.line,
          `column ${column.name}: names starting with "_" are vaultline's own (_landing_key, _record …)`,
          'rename the column',
        );
      }
      seen.add(lower);
      contract.columns.push(built);
    }
  }
  const tolerance: Tolerance = {
    maxRejects: table.maxRejects ?? source.maxRejects ?? 0,
    maxQuarantined: table.maxQuarantined ?? source.maxQuarantined ?? 0,
  };
  return { records, ...(contract ? { contract } : {}), tolerance };
}

function tryPath(text: string): { segments: PathSegment[]; wildcard: boolean } | { error: string } {
  try {
    return parseJsonPath(text);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function contractColumn(
  column: ColumnProps,
  problem: (message: string, hint?: string) => void,
): ContractColumn | undefined {
  if (column.dataType === undefined) {
    problem(
      `column ${column.name} has no data_type; in a typed source (a column declares data_type or path) every column needs one`,
      'add data_type: text (or bigint, double, decimal(18,2), boolean, date, timestamp, json)',
    );
    return undefined;
  }
  const type = parseContractType(column.dataType);
  if ('error' in type) {
    problem(`column ${column.name}: ${type.error}`);
    return undefined;
  }
  const formatProblem = checkFormat(type.type, column.format);
  if (formatProblem) {
    problem(`column ${column.name}: ${formatProblem}`);
    return undefined;
  }
  if (column.path !== undefined && column.documentPath !== undefined) {
    problem(
      `column ${column.name} has both path and document_path`,
      'give one: path is inside the record, document_path from the payload root',
    );
    return undefined;
  }
  const written = column.documentPath !== undefined ? [column.documentPath] : (column.path ?? [column.name]);
  const paths: PathSegment[][] = [];
  for (const text of written) {
    const parsed = tryPath(text);
    if ('error' in parsed) {
      problem(
        `column ${column.name}: path "${text}" is not a supported JSON path: ${parsed.error}`,
        'e.g. properties.mag, geometry.coordinates[1], commit.author.name',
      );
      return undefined;
    }
    if (parsed.wildcard) {
      problem(
        `column ${column.name}: path "${text}" ends in [*]; a column holds one value`,
        'point at the array itself with data_type: json, or at one element, e.g. coordinates[0]',
      );
      return undefined;
    }
    paths.push(parsed.segments);
  }
  return {
    name: column.name,
    type: type.type,
    paths: column.documentPath !== undefined ? [] : paths,
    ...(column.documentPath !== undefined ? { documentPath: paths[0] } : {}),
    pathText: written.join(' | '),
    ...(column.format !== undefined ? { format: column.format } : {}),
    onError: column.onError ?? 'null',
  };
}

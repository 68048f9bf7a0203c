import { z } from 'zod';
import { parseYamlWithPositions } from '../config/yaml-positions.ts';
import { zodIssuesToDiagnostics } from '../config/zod-diagnostics.ts';
import type { Diagnostic } from '../shared/diagnostics.ts';

/**
 * Properties files (`models/**\/*.yml`, dbt's `version: 2` format): descriptions, columns, tests and
 * config for models and seeds, and the sources over the landing store. Each entry is validated on its
 * own, so one bad entry is reported and skipped without hiding the rest of the file.
 */
const text = z.string().nullish();
const testList = z.array(z.union([z.string().min(1), z.record(z.string(), z.unknown())])).nullish();
const configMap = z.record(z.string(), z.unknown()).nullish();
const meta = z.record(z.string(), z.unknown()).nullish();
const tagsField = z.union([z.string(), z.array(z.string())]).nullish();

const columnSchema = z.strictObject({
  name: z.string().min(1),
  description: text,
  data_type: text,
  tests: testList,
  data_tests: testList,
  meta,
  tags: tagsField,
});

const modelSchema = z.strictObject({
  name: z.string().min(1),
  description: text,
  config: configMap,
  columns: z.array(columnSchema).nullish(),
  tests: testList,
  data_tests: testList,
  meta,
});

/**
 * A source column may declare where its value is (`path`, in the record; `document_path`, in the whole
 * payload) and its type: the source contract (src/run/sources/CONTEXT.md). Every other key is as for
 * model columns.
 */
const sourceColumnSchema = columnSchema.extend({
  path: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).nullish(),
  document_path: z.string().min(1).nullish(),
  format: z.string().min(1).nullish(),
  on_error: z.enum(['null', 'fail']).nullish(),
});

const tolerance = {
  /** Rejected values tolerated per run before the run exits 1 (default 0). */
  max_rejects: z.number().int().min(0).nullish(),
  /** Payloads quarantined per run tolerated before the run exits 1 (default 0). */
  max_quarantined: z.number().int().min(0).nullish(),
};

const sourceTableSchema = z.strictObject({
  name: z.string().min(1),
  description: text,
  /** `rows` (default): the records path names an array of records; `columns`: an object of parallel arrays. */
  records_layout: z.enum(['rows', 'columns']).nullish(),
  /** What a payload without the records path is: `quarantine` (default) or `empty` (no records). */
  missing_records: z.enum(['quarantine', 'empty']).nullish(),
  /** Deepest nesting a payload may have (default 256): deeper payloads are quarantined. */
  max_depth: z.number().int().min(2).max(10000).nullish(),
  ...tolerance,
  /** Landing prefix `<source>/<resource>`; default `<source name>/<table name>`. */
  landing: z.string().min(1).nullish(),
  /** JSON path to the records inside each payload, e.g. `$.features[*]`; omitted: one payload = one record. */
  records: z.string().min(1).nullish(),
  /** SQL over the relation `payload` (columns json, _landing_key, _load_ts, _record_source). */
  sql: z.string().min(1).nullish(),
  columns: z.array(sourceColumnSchema).nullish(),
  tests: testList,
  data_tests: testList,
  config: configMap,
  meta,
  tags: tagsField,
});

const sourceSchema = z.strictObject({
  name: z.string().min(1),
  description: text,
  ...tolerance,
  tables: z.array(sourceTableSchema).min(1),
  config: configMap,
  meta,
  tags: tagsField,
});

const seedSchema = z.strictObject({
  name: z.string().min(1),
  description: text,
  config: configMap,
  columns: z.array(columnSchema).nullish(),
  tests: testList,
  data_tests: testList,
  meta,
});

export const propertiesSchema = z.strictObject({
  version: z.union([z.literal(2), z.literal('2')]).nullish(),
  models: z.array(modelSchema).nullish(),
  sources: z.array(sourceSchema).nullish(),
  seeds: z.array(seedSchema).nullish(),
  /** Data Vault entities: validated by src/vault (loadVaultSpecs), not here. */
  vault: z.unknown().optional(),
});

const shallowSchema = z.strictObject({
  version: z.union([z.literal(2), z.literal('2')]).nullish(),
  models: z.array(z.unknown()).nullish(),
  sources: z.array(z.unknown()).nullish(),
  seeds: z.array(z.unknown()).nullish(),
  vault: z.unknown().optional(),
});

/** A test as written in YAML, with where it was written. */
export interface TestEntry {
  raw: string | Record<string, unknown>;
  line: number;
  /** YAML path of the entry, for lines of its keys. */
  path: (string | number)[];
}

export interface ColumnProps {
  name: string;
  description?: string;
  dataType?: string;
  tags: string[];
  tests: TestEntry[];
  line: number;
  /** Source columns only: the contract (see sourceColumnSchema). */
  path?: string[];
  documentPath?: string;
  format?: string;
  onError?: 'null' | 'fail';
}

interface EntryBase {
  name: string;
  description?: string;
  file: string;
  line: number;
  columns: ColumnProps[];
  tests: TestEntry[];
  /** `config:` as written (checked by the loader, which knows the resource type). */
  config: Record<string, unknown>;
  /** Line of each key under `config:`. */
  configLines: Record<string, number>;
}

export type ModelProps = EntryBase;
export type SeedProps = EntryBase;

export interface SourceTableProps extends EntryBase {
  landing?: string;
  landingLine: number;
  records?: string;
  recordsLine: number;
  sql?: string;
  tags: string[];
  recordsLayout?: 'rows' | 'columns';
  missingRecords?: 'quarantine' | 'empty';
  maxDepth?: number;
  maxRejects?: number;
  maxQuarantined?: number;
}

export interface SourceProps {
  name: string;
  description?: string;
  file: string;
  line: number;
  tags: string[];
  maxRejects?: number;
  maxQuarantined?: number;
  tables: SourceTableProps[];
}

export interface PropertiesFile {
  file: string;
  models: ModelProps[];
  sources: SourceProps[];
  seeds: SeedProps[];
}

export function readProperties(file: string, content: string, diagnostics: Diagnostic[]): PropertiesFile {
  const out: PropertiesFile = { file, models: [], sources: [], seeds: [] };
  const yaml = parseYamlWithPositions(content);
  if (yaml.errors.length > 0) {
    for (const e of yaml.errors) {
      const opened = /Missing closing (["'])?quote/.test(e.message)
        ? unclosedQuoteLine(content, e.line)
        : undefined;
      diagnostics.push(
        opened
          ? {
              file,
              line: opened,
              message: 'YAML syntax: this quoted string is never closed',
              hint: `YAML read on to line ${e.line} looking for the closing quote; add it`,
              severity: 'error',
            }
          : { file, line: e.line, message: `YAML syntax: ${e.message}`, severity: 'error' },
      );
    }
    return out;
  }
  const data = yaml.doc.toJS() as unknown;
  if (data === null || data === undefined) return out;
  const report = (issues: z.core.$ZodIssue[], prefix: (string | number)[]) => {
    const shifted = issues.map((issue) => ({
      ...issue,
      path: [...prefix, ...issue.path],
    })) as z.core.$ZodIssue[];
    for (const d of zodIssuesToDiagnostics(shifted, { file, yaml, schema: propertiesSchema, data }))
      diagnostics.push(d);
  };
  const top = shallowSchema.safeParse(data);
  if (!top.success) {
    report(top.error.issues, []);
    if (typeof data !== 'object' || Array.isArray(data)) return out;
  }
  const section = (key: 'models' | 'sources' | 'seeds'): unknown[] => {
    const value = (data as Record<string, unknown>)[key];
    return Array.isArray(value) ? value : [];
  };

  const tests = (
    path: (string | number)[],
    value: { tests?: unknown; data_tests?: unknown },
  ): TestEntry[] => {
    const entries: TestEntry[] = [];
    for (const key of ['data_tests', 'tests'] as const) {
      const list = value[key];
      if (!Array.isArray(list)) continue;
      list.forEach((raw, i) => {
        entries.push({
          raw: raw as TestEntry['raw'],
          line: yaml.lineOf([...path, key, i]),
          path: [...path, key, i],
        });
      });
    }
    return entries;
  };
  const columns = (
    path: (string | number)[],
    list: z.infer<typeof sourceColumnSchema>[] | null | undefined,
  ): ColumnProps[] =>
    (list ?? []).map((c, i) => ({
      name: c.name,
      description: c.description ?? undefined,
      dataType: c.data_type ?? undefined,
      tags: typeof c.tags === 'string' ? [c.tags] : (c.tags ?? []),
      tests: tests([...path, 'columns', i], c),
      line: yaml.lineOf([...path, 'columns', i]),
      ...(c.path ? { path: typeof c.path === 'string' ? [c.path] : c.path } : {}),
      ...(c.document_path ? { documentPath: c.document_path } : {}),
      ...(c.format ? { format: c.format } : {}),
      ...(c.on_error ? { onError: c.on_error } : {}),
    }));
  const configLines = (path: (string | number)[], config: Record<string, unknown> | null | undefined) =>
    Object.fromEntries(Object.keys(config ?? {}).map((k) => [k, yaml.lineOfKey([...path, 'config'], k)]));
  const base = (path: (string | number)[], entry: z.infer<typeof modelSchema>): EntryBase => ({
    name: entry.name,
    description: entry.description ?? undefined,
    file,
    line: yaml.lineOf([...path, 'name']),
    columns: columns(path, entry.columns),
    tests: tests(path, entry),
    config: entry.config ?? {},
    configLines: configLines(path, entry.config),
  });

  section('models').forEach((raw, i) => {
    const parsed = modelSchema.safeParse(raw);
    if (!parsed.success) {
      report(parsed.error.issues, ['models', i]);
      return;
    }
    out.models.push(base(['models', i], parsed.data));
  });
  section('seeds').forEach((raw, i) => {
    const parsed = seedSchema.safeParse(raw);
    if (!parsed.success) {
      report(parsed.error.issues, ['seeds', i]);
      return;
    }
    out.seeds.push(base(['seeds', i], parsed.data));
  });
  section('sources').forEach((raw, i) => {
    const parsed = sourceSchema.safeParse(raw);
    if (!parsed.success) {
      report(parsed.error.issues, ['sources', i]);
      return;
    }
    const source = parsed.data;
    out.sources.push({
      name: source.name,
      description: source.description ?? undefined,
      file,
      line: yaml.lineOf(['sources', i, 'name']),
      tags: typeof source.tags === 'string' ? [source.tags] : (source.tags ?? []),
      ...(source.max_rejects != null ? { maxRejects: source.max_rejects } : {}),
      ...(source.max_quarantined != null ? { maxQuarantined: source.max_quarantined } : {}),
      tables: source.tables.map((table, j) => {
        const path = ['sources', i, 'tables', j];
        return {
          ...base(path, { ...table, config: table.config }),
          landing: table.landing ?? undefined,
          landingLine: yaml.lineOf([...path, 'landing']),
          records: table.records ?? undefined,
          recordsLine: yaml.lineOf([...path, 'records']),
          sql: table.sql ?? undefined,
          tags: typeof table.tags === 'string' ? [table.tags] : (table.tags ?? []),
          ...(table.records_layout ? { recordsLayout: table.records_layout } : {}),
          ...(table.missing_records ? { missingRecords: table.missing_records } : {}),
          ...(table.max_depth != null ? { maxDepth: table.max_depth } : {}),
          ...(table.max_rejects != null ? { maxRejects: table.max_rejects } : {}),
          ...(table.max_quarantined != null ? { maxQuarantined: table.max_quarantined } : {}),
        };
      }),
    });
  });
  return out;
}

/**
 * YAML reports an unclosed quote where it gave up (often the end of the file); the useful line is
 * the last one before that which opens a quote it does not close.
 */
function unclosedQuoteLine(content: string, reportedLine: number): number | undefined {
  const lines = content.split('\n');
  for (let i = Math.min(reportedLine, lines.length) - 1; i >= 0; i--) {
    const line = lines[i]!.replace(/\\./g, '');
    const doubles = (line.match(/"/g) ?? []).length;
    const singles = (line.replace(/''/g, '').match(/'/g) ?? []).length;
    if (doubles % 2 === 1 || singles % 2 === 1) return i + 1;
  }
  return undefined;
}

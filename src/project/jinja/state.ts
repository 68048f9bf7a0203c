import type { SqlLiteral } from '../types.ts';
import type { Relation } from './relation.ts';

/**
 * What the dbt functions in a template (ref, source, config, var, this, …) do depends on why we render:
 * at parse time they record calls (src/project/capture.ts), at run time they resolve relations
 * (src/project/render.ts). The engine holds the state of the render in progress; the globals delegate
 * to it, so compiled templates and macros are shared by every render.
 */
export interface JinjaState {
  /** For messages: `model stg_items`, `test not_null_stg_items_id`. */
  label: string;
  phase: 'parse' | 'render';
  ref(name: string, projectName: string | undefined): Relation;
  source(sourceName: string, tableName: string): Relation;
  config(values: Record<string, unknown>): void;
  /** `config.get('key', default)` inside a template. */
  configGet(key: string, fallback: unknown): unknown;
  /** `var('name')` / `var('name', default)`: fallback is undefined when no default was given. */
  variable(name: string, fallback: { value: unknown } | undefined): unknown;
  isIncremental(): boolean;
  thisRelation: Relation | undefined;
  target: Record<string, unknown>;
  dialect: string;
  /** The engine's SQL literal, for the `sql_literal` filter. */
  literal: SqlLiteral;
  env: Record<string, string | undefined>;
  log(message: string, level: 'info' | 'debug' | 'warn'): void;
}

/** An error a template caused on purpose (a missing var, a bad ref() call), with how to fix it. */
export class TemplateUsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'TemplateUsageError';
  }
}

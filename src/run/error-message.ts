import { SqlError } from '../engine/dialect.ts';

/** The full engine message (DuckDB adds the offending line and a caret after the first line). */
export function errorMessage(error: unknown): string {
  if (error instanceof SqlError && error.cause instanceof Error) return error.cause.message.trim();
  return error instanceof Error ? error.message : String(error);
}

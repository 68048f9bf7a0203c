import {
  type Row,
  type Session,
  type SingleStatement,
  StatementCancelledError,
  type StatementOptions,
} from './dialect.ts';

/**
 * `session` with `signal` on every statement it runs — in its transactions and on the connections it
 * hands out too — so one AbortSignal cancels a whole unit of work (a node of a build): a statement
 * not started yet never starts, a running one is interrupted through the engine
 * (StatementOptions.signal), and the work's transaction rolls back as for any failure. A statement
 * that brings its own signal is cancelled by either. Bulk appends check the signal before they start.
 */
export function withSignal(session: Session, signal: AbortSignal | undefined): Session {
  if (signal === undefined) return session;
  const merged = (options: StatementOptions | undefined): StatementOptions => ({
    ...options,
    signal: options?.signal ? AbortSignal.any([options.signal, signal]) : signal,
  });
  return {
    get dialect() {
      return session.dialect;
    },
    execute: (sql: string, options?: StatementOptions) => session.execute(sql, merged(options)),
    query: <T extends Row = Row>(sql: string, options?: StatementOptions) =>
      session.query<T>(sql, merged(options)),
    withConnection: <T>(work: (s: Session) => Promise<T>) =>
      session.withConnection((s) => work(withSignal(s, signal))),
    singleStatement: (sql: string): Promise<SingleStatement> => session.singleStatement(sql),
    transaction: <T>(work: (s: Session) => Promise<T>) =>
      session.transaction((tx) => work(withSignal(tx, signal))),
    append: async (schema, table, rows) => {
      if (signal.aborted) throw new StatementCancelledError(`append to ${schema}.${table}`, signal.reason);
      await session.append(schema, table, rows);
    },
    close: () => session.close(),
  };
}

/** Whether `error` (or an error it was caused by) is a statement stopped by its signal. */
export function isCancellation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof StatementCancelledError) return true;
  }
  return false;
}

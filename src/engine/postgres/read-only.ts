import { SqlError } from '../dialect.ts';
import { type Statement, statementKind } from './statements.ts';

/**
 * What a read-only session (previews) refuses before anything is sent, on top of the server's own
 * guard. Three layers, each giving what it can honestly give:
 *
 * 1. The server: every connection of a read-only session has `default_transaction_read_only = on`,
 *    and its transactions begin READ ONLY, so PostgreSQL refuses any write — INSERT/UPDATE/DELETE,
 *    DDL, nextval(), SELECT … FOR SHARE, large-object writes, COPY FROM.
 * 2. The kind (here): only queries run — SELECT, VALUES, TABLE, WITH … SELECT (statements.ts; a
 *    data-modifying WITH or SELECT … INTO is not a query). So no SET, COPY (TO a file or PROGRAM), DO,
 *    CALL, LISTEN, EXPLAIN ANALYZE, BEGIN or PREPARE can run, and no setting can undo layer 1.
 * 3. Function names (here): a query can still call functions. Refused wherever the name appears
 *    unquoted or quoted (schema-qualified too): server-side file access (pg_read_file,
 *    pg_read_binary_file, pg_ls_*dir, pg_stat_file, lo_import, lo_export, adminpack's pg_file_*),
 *    functions that run SQL given as text (query_to_xml and the other *_to_xml*, ts_stat,
 *    ts_rewrite, dblink*), settings (set_config) and functions acting on the server or other
 *    sessions (pg_terminate_backend, pg_cancel_backend, pg_reload_conf, advisory locks, NOTIFY,
 *    replication slots and origins, backups, WAL switches, promotion).
 *
 * What this cannot see: a function or view created earlier in the warehouse that calls such a
 * function itself. That is why the warehouse user should not be a superuser nor a member of
 * pg_read_server_files, pg_write_server_files or pg_execute_server_program: without those roles the
 * server refuses file access to every statement, whatever runs it (the PostgreSQL CONTEXT.md).
 */

const REFUSED_FUNCTIONS = new Set([
  'pg_read_file',
  'pg_read_binary_file',
  'pg_stat_file',
  'lo_import',
  'lo_export',
  'set_config',
  'ts_stat',
  'ts_rewrite',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_notify',
  'pg_switch_wal',
  'pg_promote',
  'pg_create_restore_point',
  'pg_backup_start',
  'pg_backup_stop',
  'pg_start_backup',
  'pg_stop_backup',
  'pg_log_backend_memory_contexts',
  'pg_import_system_collations',
]);

const REFUSED_PATTERNS = [
  /^pg_ls_.*dir$/,
  /^pg_file_/,
  /^pg_logdir_/,
  /_to_xml/,
  /^dblink/,
  /advisory/,
  /replication_(slot|origin)/,
  /^pg_logical_/,
];

function refusedFunction(name: string): boolean {
  return REFUSED_FUNCTIONS.has(name) || REFUSED_PATTERNS.some((pattern) => pattern.test(name));
}

/** Throws SqlError, before anything runs, for a statement a read-only session must not run. */
export function refuseOnReadOnly(statement: Statement, sql: string): void {
  if (statementKind(statement) !== 'query') {
    const word = statement.tokens.find((t) => t.kind === 'word')?.value.toUpperCase() ?? 'this';
    throw new SqlError(
      `a read-only session runs queries only (SELECT, VALUES, TABLE, WITH … SELECT); ${word} statements are refused, nothing ran`,
      sql,
    );
  }
  for (const token of statement.tokens) {
    if (token.kind !== 'word' && token.kind !== 'quoted-identifier') continue;
    const name = token.kind === 'word' ? token.value : token.value.toLowerCase();
    if (refusedFunction(name)) {
      throw new SqlError(
        `a read-only session refuses ${name}: it reaches files, settings or other sessions on the server; nothing ran`,
        sql,
      );
    }
  }
}

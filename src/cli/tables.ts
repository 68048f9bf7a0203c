import type { Command } from 'commander';
import { countRelations } from '../run/inventory.ts';
import { openWarehouse, warehouseLocation } from '../run/warehouse.ts';
import { VaultlineError } from '../shared/errors.ts';
import { renderTable } from './table.ts';
import type { ContextProvider } from './verbs.ts';

/** `vaultline tables`: every warehouse table and view with its row count (the brief's verification list). */
export function registerTables(program: Command, context: ContextProvider): void {
  program
    .command('tables')
    .description('list warehouse tables and views with their row counts')
    .option('--schema <schema...>', 'only these schemas (e.g. vault marts)')
    .option('--all', 'include vaultline_meta (run history, load audit)')
    .option('--require-rows', 'exit 1 if any listed relation is empty')
    .action(async (options: { schema?: string[]; all?: boolean; requireRows?: boolean }) => {
      const ctx = context();
      const config = ctx.loadConfig();
      const { session } = await openWarehouse(config);
      let relations: Awaited<ReturnType<typeof countRelations>>;
      try {
        relations = await countRelations(session, { schemas: options.schema, includeInternal: options.all });
      } finally {
        await session.close();
      }
      const empty = relations.filter((r) => r.rows === 0);
      ctx.result(
        () =>
          `${renderTable(
            ['schema', 'relation', 'kind', 'rows'],
            relations.map((r) => [r.schema, r.name, r.kind, r.rows]),
          )}\n${relations.length} relation(s) in ${warehouseLocation(config)}` +
          (empty.length ? `; empty: ${empty.map((r) => `${r.schema}.${r.name}`).join(', ')}` : ''),
        { warehouse: warehouseLocation(config), relations },
      );
      if (options.requireRows && empty.length > 0) {
        throw new VaultlineError(
          `${empty.length} relation(s) have no rows: ${empty.map((r) => `${r.schema}.${r.name}`).join(', ')}`,
        );
      }
    });
}

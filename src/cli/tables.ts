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
    .description(
      'list warehouse tables and views with their row counts; a relation that cannot be read is listed with its error (exit 1)',
    )
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
      const broken = relations.filter((r) => r.error !== undefined);
      const names = (list: typeof relations) => list.map((r) => `${r.schema}.${r.name}`).join(', ');
      ctx.result(
        () =>
          `${renderTable(
            ['schema', 'relation', 'kind', 'rows'],
            relations.map((r) => [r.schema, r.name, r.kind, r.rows ?? 'ERROR']),
          )}\n${relations.length} relation(s) in ${warehouseLocation(config)}` +
          (empty.length ? `; empty: ${names(empty)}` : '') +
          broken.map((r) => `\nERROR ${r.schema}.${r.name}: ${r.error}`).join(''),
        { warehouse: warehouseLocation(config), relations },
      );
      if (broken.length > 0) {
        throw new VaultlineError(
          `${broken.length} relation(s) cannot be read: ${names(broken)} (rebuild them: vaultline build --select <model>)`,
        );
      }
      if (options.requireRows && empty.length > 0) {
        throw new VaultlineError(
          `${empty.length} relation(s) have no rows: ${empty.map((r) => `${r.schema}.${r.name}`).join(', ')}`,
        );
      }
    });
}

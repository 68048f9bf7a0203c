import { existsSync } from 'node:fs';
import type { SeedNode } from '../../project/types.ts';
import { VaultlineError } from '../../shared/errors.ts';
import { seedStatements } from '../materializations/seed.ts';
import type { PlanStep } from '../plan.ts';
import { schemaAndName } from '../relations.ts';
import type { StepOutcome } from './outcome.ts';
import { nodeOf, type RunEnvironment } from './step-context.ts';

/** Loads one seed CSV into its table, replacing the previous one atomically. */
export async function runSeedStep(env: RunEnvironment, step: PlanStep): Promise<StepOutcome> {
  const node = nodeOf<SeedNode>(env, step.uniqueId);
  if (!existsSync(node.path)) throw new VaultlineError(`${node.file}: seed file ${node.path} does not exist`);
  const { dialect, catalog, files } = env.engine;
  const { schema, name } = schemaAndName(node);
  const existing = await catalog.relationKind(env.session, schema, name);
  const statements = seedStatements(dialect, files, { schema, name, existing }, node.path, node.columnTypes);
  const relation = dialect.relation(schema, name);
  const rows = await env.session.transaction(async (tx) => {
    await files.stageCsv(tx, node.path, node.columnTypes);
    for (const statement of statements) await tx.execute(statement);
    const [row] = await tx.query<{ n: bigint | number }>(`SELECT count(*) AS n FROM ${relation}`);
    return Number(row?.n ?? 0);
  });
  return { status: 'success', rowsAffected: rows, compiledSql: statements.at(-1) };
}

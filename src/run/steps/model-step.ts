import type { Session } from '../../engine/dialect.ts';
import { fitIdentifier } from '../../engine/identifiers.ts';
import type { ModelNode } from '../../project/types.ts';
import { VaultlineError } from '../../shared/errors.ts';
import {
  addColumnStatements,
  applyStatements,
  describeDiff,
  diffColumns,
  dropStageStatement,
  duplicateKeysQuery,
  isSchemaChanged,
  stageStatements,
} from '../materializations/incremental.ts';
import { tableStatements } from '../materializations/table.ts';
import type { BuildTarget } from '../materializations/target.ts';
import { viewStatements } from '../materializations/view.ts';
import { viewTarget } from '../materializations/view-target.ts';
import { auditStatements } from '../meta/load-audit.ts';
import { refuseSecretInPersistedSql } from '../persisted-sql.ts';
import type { PlanStep } from '../plan.ts';
import { safeName, schemaAndName } from '../relations.ts';
import type { StepOutcome } from './outcome.ts';
import {
  compileStep,
  dropTempViews,
  nodeOf,
  type RunEnvironment,
  readSources,
  relationResolver,
  skippedPayloadKeys,
} from './step-context.ts';
import { compiled } from './step-failure.ts';

/**
 * Builds one model atomically: everything it writes (the relation and its load audit) happens in one
 * transaction, so a failing model leaves its previous version and audit untouched.
 */
export async function runModelStep(env: RunEnvironment, step: PlanStep): Promise<StepOutcome> {
  const node = nodeOf<ModelNode>(env, step.uniqueId);
  const { dialect, catalog } = env.engine;
  const { schema, name } = schemaAndName(node);
  const existing = await catalog.relationKind(env.session, schema, name);
  const target: BuildTarget = { schema, name, existing };
  const incrementalRun = node.materialized === 'incremental' && existing === 'table' && !env.fullRefresh;
  const reads = await readSources(env, step, incrementalRun ? { newOnlyFor: node.uniqueId } : {});
  try {
    const thisRelation = dialect.relation(schema, name);
    const sql = await compileStep(env, step, relationResolver(env, reads), {
      isIncremental: incrementalRun,
      thisRelation,
    });
    const audit = auditStatements(dialect, {
      modelUniqueId: node.uniqueId,
      runId: env.runId,
      loadedAt: env.clock.now(),
      entries: [...reads.values()].flatMap((r) => r.entries),
      replace: !incrementalRun,
    });
    const skippedPayloads = skippedPayloadKeys(reads);
    if (node.materialized === 'view') {
      refuseSecretInPersistedSql(
        {
          what: `model ${node.name}`,
          file: node.file,
          rawSql: node.rawSql,
          fix: "Materialize it as a table (config(materialized='table')): a table keeps rows, not its SQL.",
        },
        sql,
      );
    }
    const isView = node.materialized === 'view';
    const replacing = isView ? await viewTarget(env.session, env.engine, target, sql) : target;
    const outcome = await compiled(sql, () =>
      env.session.transaction(async (tx) => {
        let built: { rowsAffected: number | undefined; message: string | undefined };
        if (incrementalRun) {
          built = await incrementalBuild(env, tx, node, target, sql);
        } else {
          for (const statement of isView
            ? viewStatements(dialect, replacing, sql)
            : tableStatements(dialect, replacing, sql)) {
            await tx.execute(statement);
          }
          built = {
            rowsAffected: isView ? undefined : await countRows(tx, thisRelation),
            message: undefined,
          };
        }
        for (const statement of audit) await tx.execute(statement);
        return built;
      }),
    );
    return {
      status: 'success',
      rowsAffected: outcome.rowsAffected,
      message: outcome.message,
      compiledSql: sql,
      ...(skippedPayloads.length > 0 ? { skippedPayloads } : {}),
    };
  } finally {
    await dropTempViews(env, reads, incrementalRun);
  }
}

async function countRows(session: Session, relation: string): Promise<number> {
  const [row] = await session.query<{ n: bigint | number }>(`SELECT count(*) AS n FROM ${relation}`);
  return Number(row?.n ?? 0);
}

async function incrementalBuild(
  env: RunEnvironment,
  tx: Session,
  node: ModelNode,
  target: BuildTarget,
  sql: string,
): Promise<{ rowsAffected: number; message: string | undefined }> {
  const { dialect, catalog } = env.engine;
  const config = node.incremental ?? { strategy: 'append' as const, onSchemaChange: 'ignore' as const };
  const uniqueKey = config.uniqueKey ?? [];
  if (config.strategy !== 'append' && uniqueKey.length === 0) {
    throw new VaultlineError(
      `${node.name}: incremental_strategy '${config.strategy}' needs unique_key (set config(unique_key='id') or use 'append')`,
    );
  }
  const temp = fitIdentifier(dialect, `__vl_new__${safeName(node.uniqueId)}`);
  for (const statement of stageStatements(dialect, temp, sql)) await tx.execute(statement);
  const incoming = await catalog.tempColumns(tx, temp);
  const existing = await catalog.columns(tx, target.schema, target.name);
  const diff = diffColumns(existing, incoming);
  let message: string | undefined;
  if (isSchemaChanged(diff)) {
    if (config.onSchemaChange === 'fail') {
      throw new VaultlineError(
        `${node.name}: the new rows' columns differ from the table's (${describeDiff(diff)}). ` +
          "on_schema_change is 'fail': run with --full-refresh to rebuild, or set on_schema_change: append_new_columns",
      );
    }
    if (config.onSchemaChange === 'append_new_columns') {
      for (const statement of addColumnStatements(dialect, target, diff.added)) await tx.execute(statement);
    }
    message = `schema change (${config.onSchemaChange}): ${describeDiff(diff)}`;
  }
  const keep = new Set(existing.map((c) => c.name.toLowerCase()));
  if (config.onSchemaChange === 'append_new_columns')
    for (const c of diff.added) keep.add(c.name.toLowerCase());
  const columns = incoming.filter((c) => keep.has(c.name.toLowerCase())).map((c) => c.name);
  if (uniqueKey.length > 0 && config.strategy !== 'append') {
    const duplicates = await tx.query(duplicateKeysQuery(dialect, temp, uniqueKey));
    if (duplicates.length > 0) {
      const examples = duplicates
        .map((d) => uniqueKey.map((k) => `${k}=${String(d[k])}`).join(', '))
        .join('; ');
      throw new VaultlineError(
        `${node.name}: unique_key (${uniqueKey.join(', ')}) is not unique in the new rows (e.g. ${examples}); deduplicate them in the model`,
      );
    }
  }
  for (const statement of applyStatements({
    dialect,
    target,
    temp,
    columns,
    strategy: config.strategy,
    uniqueKey,
  })) {
    await tx.execute(statement);
  }
  const [row] = await tx.query<{ n: bigint | number }>(
    `SELECT count(*) AS n FROM ${dialect.quoteIdentifier(temp)}`,
  );
  await tx.execute(dropStageStatement(dialect, temp));
  return { rowsAffected: Number(row?.n ?? 0), message };
}

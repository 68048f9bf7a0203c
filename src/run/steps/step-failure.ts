import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type EngineErrorInfo, SqlError } from '../../engine/dialect.ts';
import { compiledPath, relationIdentity } from '../../project/relations.ts';
import type { GraphNode, NodeResult } from '../../project/types.ts';
import { didYouMean } from '../../shared/did-you-mean.ts';
import { redactor } from '../../shared/redact.ts';
import { errorMessage } from '../error-message.ts';
import type { StepOutcome } from './outcome.ts';
import type { RunEnvironment } from './step-context.ts';

/**
 * A step's failure with the SQL it had compiled: model and test steps throw it so that the error
 * report can name the line of the compiled SQL, not only of the DDL statement wrapped around it.
 */
export class CompiledStepError extends Error {
  constructor(
    readonly compiledSql: string,
    cause: unknown,
  ) {
    super(errorMessage(cause), { cause });
    this.name = 'CompiledStepError';
  }
}

export async function compiled<T>(sql: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new CompiledStepError(sql, error);
  }
}

/**
 * The outcome of a step that threw. An engine error in a model or test becomes a message a user can
 * act on: the node's file (and line, when the failing line of the compiled SQL is a line of the
 * file), the engine's message, where the compiled SQL was written and which of its lines failed, and
 * a hint for the common kinds (an unknown column with a did-you-mean from the relations the node
 * reads, an unknown table, a value that does not convert). Vault entities keep their own messages.
 */
export async function failureOutcome(
  env: RunEnvironment,
  uniqueId: string,
  thrown: unknown,
): Promise<StepOutcome> {
  const compiledSql = thrown instanceof CompiledStepError ? thrown.compiledSql : undefined;
  const error = thrown instanceof CompiledStepError ? thrown.cause : thrown;
  const node = env.graph.nodes.get(uniqueId);
  const plain: StepOutcome = {
    status: 'error',
    message: errorMessage(error),
    ...(compiledSql !== undefined || error instanceof SqlError
      ? { compiledSql: compiledSql ?? (error as SqlError).sql }
      : {}),
  };
  if (
    !(error instanceof SqlError) ||
    !node ||
    (node.resourceType !== 'model' && node.resourceType !== 'test')
  )
    return plain;

  const info = env.engine.dialect.describeError(error.cause ?? error);
  const statementLine = info.line === undefined ? undefined : error.sql.split('\n')[info.line - 1];
  const compiledLine = lineInCompiled(error.sql, compiledSql, info.line);
  const fileLine = lineInFile(node, statementLine);
  const written = compiledSql !== undefined ? await writeCompiled(env, node, compiledSql) : undefined;
  const hint = await hintFor(env, node, info);
  const [first = '', ...details] = info.message.split('\n').filter((l) => l.trim() !== '');
  const lines = [`${node.file}${fileLine ? `:${fileLine}` : ''}: ${first}`, ...details.map((d) => d.trim())];
  if (statementLine !== undefined) {
    const where =
      compiledLine !== undefined
        ? `line ${compiledLine} of the compiled SQL`
        : `line ${info.line} of the statement`;
    lines.push(`${where}${written ? ` (${written})` : ''}: ${statementLine.trim()}`);
  } else if (written) lines.push(`compiled SQL: ${written}`);
  if (hint) lines.push(`hint: ${hint}`);
  const detail: NonNullable<NodeResult['error']> = {
    kind: info.kind,
    file: node.file,
    ...(fileLine ? { line: fileLine } : {}),
    ...(compiledLine !== undefined ? { compiledLine } : {}),
    ...(written ? { compiledPath: written } : {}),
    ...(hint ? { hint } : {}),
    failedSql: error.sql,
  };
  return { ...plain, message: lines.join('\n'), compiledSql: compiledSql ?? error.sql, error: detail };
}

/** The statement's line as a line of the compiled SQL it wraps (`CREATE … AS\n<compiled>`). */
function lineInCompiled(statement: string, compiledSql: string | undefined, line: number | undefined) {
  if (compiledSql === undefined || line === undefined) return undefined;
  const at = statement.indexOf(compiledSql);
  if (at < 0) return undefined;
  const n = line - statement.slice(0, at).split('\n').length + 1;
  return n >= 1 && n <= compiledSql.split('\n').length ? n : undefined;
}

/**
 * The file's line holding exactly the failing text, when exactly one does. Rendering changes lines
 * that hold Jinja (and may drop or add lines), so only a literal match is trusted; a generic test
 * points at its YAML entry.
 */
function lineInFile(node: GraphNode, statementLine: string | undefined): number | undefined {
  if (node.resourceType === 'test' && node.testType === 'generic') return node.line;
  const raw =
    node.resourceType === 'model' ? node.rawSql : node.resourceType === 'test' ? node.rawSql : undefined;
  const wanted = statementLine?.trim();
  if (!raw || !wanted) return undefined;
  const matches = raw.split('\n').flatMap((l, i) => (l.trim() === wanted ? [i + 1] : []));
  return matches.length === 1 ? matches[0] : undefined;
}

/** `<target>/compiled/<file>`, as `vaultline compile` writes it, so the reported line can be opened. */
async function writeCompiled(env: RunEnvironment, node: GraphNode, sql: string): Promise<string | undefined> {
  if (!env.compiledDir) return undefined;
  const path = join(env.compiledDir.absolute, compiledPath(node));
  try {
    await mkdir(dirname(path), { recursive: true });
    // An artefact: secrets are scrubbed as in the logs (the SQL that ran kept the real value).
    await writeFile(path, `${redactor.text(sql)}\n`);
    return `${env.compiledDir.shown}/${compiledPath(node)}`;
  } catch {
    return undefined; // the report still carries the SQL (run_results.json compiled_sql)
  }
}

async function hintFor(
  env: RunEnvironment,
  node: GraphNode,
  info: EngineErrorInfo,
): Promise<string | undefined> {
  switch (info.kind) {
    case 'unknown-column': {
      const upstream = await upstreamColumns(env, node);
      const name = info.name ?? '';
      const near = didYouMean(name, [...(info.candidates ?? []), ...upstream.flatMap((u) => u.columns)]);
      const owner = near ? upstream.find((u) => u.columns.includes(near)) : undefined;
      if (near) return `did you mean "${near}"?${owner ? ` (a column of ${owner.relation})` : ''}`;
      if (upstream.length > 0)
        return `columns of what ${node.name} reads: ${upstream.map((u) => `${u.relation} (${u.columns.slice(0, 12).join(', ')})`).join('; ')}`;
      return 'check the column names of the relations the SQL reads';
    }
    case 'unknown-relation': {
      const name = (info.name ?? '').split('.').pop()!.replaceAll('"', '').toLowerCase();
      for (const other of env.graph.nodes.values()) {
        if (other.resourceType === 'source') {
          if (
            `${other.sourceName}__${other.tableName}`.toLowerCase() === name ||
            other.tableName.toLowerCase() === name
          )
            return `read landed data with {{ source('${other.sourceName}', '${other.tableName}') }}, not by its table name`;
        } else if (other.resourceType !== 'test' && other.name.toLowerCase() === name) {
          return `refer to ${other.name} as {{ ref('${other.name}') }}: ref() names its schema and builds it first`;
        }
      }
      return "models are read with {{ ref('name') }} and landed data with {{ source('source', 'table') }}; any other table must exist in the warehouse before the run";
    }
    case 'conversion':
      return 'a value does not convert to the type the SQL asks for: find it with `vaultline show --inline "…"`, then filter or fix it; for landed data, declare the column\'s data_type in the source contract (_sources.yml), where such values become NULL plus a row in vaultline_meta.rejects';
    default:
      return undefined;
  }
}

/** Columns of the built relations a node reads directly (its models, seeds and vault entities). */
async function upstreamColumns(env: RunEnvironment, node: GraphNode) {
  const out: { relation: string; columns: string[] }[] = [];
  for (const id of node.dependsOn) {
    const upstream = env.graph.nodes.get(id);
    if (!upstream || upstream.resourceType === 'test') continue;
    const { schema, name } = relationIdentity(upstream);
    try {
      const columns = (await env.engine.catalog.columns(env.session, schema, name)).map((c) => c.name);
      if (columns.length > 0) out.push({ relation: `${schema}.${name}`, columns });
    } catch {
      // Not built (an ephemeral, a source not read yet): nothing to suggest from it.
    }
  }
  return out;
}

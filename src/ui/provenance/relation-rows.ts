import type { Catalog } from '../../engine/catalog.ts';
import type { Session, SqlParam } from '../../engine/dialect.ts';
import { didYouMean } from '../../shared/did-you-mean.ts';
import type { ProvenanceProject } from './project.ts';
import { jsonRow } from './values.ts';

const MAX_ROWS = 50;

/** A link from a row to the hub key it carries. */
export interface HubLink {
  hub: string;
  column: string;
  hk: string;
}

export type RelationAnswer =
  | {
      status: 200;
      body: {
        schema: string;
        table: string;
        unique_id: string;
        resource_type: string;
        columns: { name: string; type: string }[];
        where: Record<string, unknown>;
        rows: Record<string, unknown>[];
        /** Per row, the hub keys it carries (`hk_*` columns of a hub, a vault entity's parent key). */
        hub_links: HubLink[][];
        truncated: boolean;
      };
    }
  | { status: 400 | 404; body: { error: string; hint?: string } };

/**
 * The rows of a model, seed or vault relation matching `where` (column → value, each column checked
 * against the catalog, each value bound as a parameter), with the hub keys each row carries.
 */
export async function relationRows(
  read: <T>(work: (session: Session) => Promise<T>) => Promise<T>,
  catalog: Catalog,
  project: ProvenanceProject,
  schema: string,
  table: string,
  whereText: string | undefined,
): Promise<RelationAnswer> {
  const node = project.relations.get(`${schema}.${table}`);
  if (!node) {
    const guess = didYouMean(`${schema}.${table}`, project.relations.keys());
    return {
      status: 404,
      body: {
        error: `no model, seed or vault entity builds ${schema}.${table}${guess ? ` (did you mean ${guess}?)` : ''}`,
      },
    };
  }
  let where: Record<string, unknown> = {};
  if (whereText !== undefined && whereText !== '') {
    try {
      where = JSON.parse(whereText) as Record<string, unknown>;
    } catch {
      return { status: 400, body: { error: 'where= must be a JSON object of column → value' } };
    }
    if (where === null || typeof where !== 'object' || Array.isArray(where))
      return { status: 400, body: { error: 'where= must be a JSON object of column → value' } };
  }
  return read(async (session) => {
    const columns = await catalog.columns(session, node.schema, node.alias);
    if (columns.length === 0)
      return {
        status: 404,
        body: { error: `${schema}.${table} is not in the warehouse yet: build it first` },
      } as const;
    const names = columns.map((c) => c.name);
    const conditions: string[] = [];
    const params: SqlParam[] = [];
    for (const [column, value] of Object.entries(where)) {
      if (!names.includes(column)) {
        const guess = didYouMean(column, names);
        return {
          status: 400,
          body: {
            error: `${schema}.${table} has no column ${column}${guess ? ` (did you mean ${guess}?)` : ''}`,
          },
        } as const;
      }
      const quoted = session.dialect.quoteIdentifier(column);
      if (value === null) conditions.push(`${quoted} IS NULL`);
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        params.push(value);
        conditions.push(`${quoted} = $${params.length}`);
      } else
        return {
          status: 400,
          body: { error: `where.${column} must be text, a number, a boolean or null` },
        } as const;
    }
    const sql = `SELECT * FROM ${session.dialect.relation(node.schema, node.alias)}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} LIMIT ${MAX_ROWS + 1}`;
    const rows = (await session.query(sql, { params })).map(jsonRow);
    const truncated = rows.length > MAX_ROWS;
    const shown = rows.slice(0, MAX_ROWS);
    return {
      status: 200,
      body: {
        schema: node.schema,
        table: node.alias,
        unique_id: node.uniqueId,
        resource_type: node.resourceType === 'vault' ? `vault ${node.entity}` : node.resourceType,
        columns: columns.map((c) => ({ name: c.name, type: c.dataType })),
        where,
        rows: shown,
        hub_links: shown.map((row) => hubLinks(project, node.name, row)),
        truncated,
      },
    } as const;
  });
}

/** The hub keys in a row: a column named like a hub's hash key, or a vault entity's parent key. */
export function hubLinks(
  project: ProvenanceProject,
  relationName: string,
  row: Record<string, unknown>,
): HubLink[] {
  const links: HubLink[] = [];
  const hubByKey = new Map<string, string>();
  for (const e of project.entities.values())
    if (e.spec.kind === 'hub') hubByKey.set(e.spec.hashKey, e.spec.name);
  const entity = project.entities.get(relationName);
  if (entity && entity.spec.kind === 'link')
    for (const ref of entity.spec.hubs) hubByKey.set(ref.hashKey, ref.hub);
  for (const [column, value] of Object.entries(row)) {
    const hub = hubByKey.get(column);
    if (hub && typeof value === 'string' && !/^0+$/.test(value)) links.push({ hub, column, hk: value });
  }
  return links;
}

import type { LandingStore } from '../../landing/store.ts';
import type { ContractColumn } from '../../records/contract.ts';
import { formatJsonPath, getPath } from '../../records/json-path.ts';
import { readAllRecords } from '../../records/json-records.ts';
import { isRawNumber } from '../../records/raw-number.ts';
import type { ProvenanceProject } from './project.ts';
import { sourceColumnOf } from './staging-column.ts';

/** A vault row's landed object, and what in it to look for: the business key as staging read it. */
export interface LandingUse {
  key: string;
  /** The staging model the row was loaded from. */
  staging: string;
  /** Staging columns holding the business key, in the hub's order, and the hub row's values. */
  columns: string[];
  values: unknown[];
  /** Which vault row points at it (`hub_earthquake`, `sat_earthquake @ 2026-12-01T…`). */
  usedBy: string;
}

export interface LandedObject {
  key: string;
  used_by: string[];
  source?: string;
  sha256?: string;
  bytes?: number;
  load_ts?: string;
  request?: { method: string; url: string; params: Record<string, string> };
  status?: number | null;
  transport?: string;
  /** The JSON paths inside each record that hold the business key, and the values looked for. */
  match?: { paths: string[]; values: unknown[] };
  record_index?: number;
  record?: unknown;
  /** Other records of the payload with the same business key (an event listed twice). */
  other_matches?: number[];
  /** Why the record could not be shown (said plainly: never a guess). */
  not_found?: string;
  /** The object could not be read (missing, or its bytes do not match the sidecar's sha256). */
  error?: string;
}

/** The landed objects behind a vault key, each with its sidecar and the record of that key inside it. */
export async function landedObjects(
  store: LandingStore,
  project: ProvenanceProject,
  uses: readonly LandingUse[],
  caseInsensitive: boolean,
): Promise<LandedObject[]> {
  const byKey = new Map<string, LandingUse[]>();
  for (const use of uses) byKey.set(use.key, [...(byKey.get(use.key) ?? []), use]);
  const out: LandedObject[] = [];
  for (const [key, keyUses] of byKey)
    out.push(await landedObject(store, project, key, keyUses, caseInsensitive));
  return out;
}

async function landedObject(
  store: LandingStore,
  project: ProvenanceProject,
  key: string,
  uses: LandingUse[],
  caseInsensitive: boolean,
): Promise<LandedObject> {
  const object: LandedObject = { key, used_by: [...new Set(uses.map((u) => u.usedBy))] };
  let body: Buffer;
  try {
    const got = await store.get(key);
    body = got.body;
    const meta = got.meta;
    Object.assign(object, {
      source: `${meta.source}.${meta.resource}`,
      sha256: meta.sha256,
      bytes: meta.bytes,
      load_ts: meta.load_ts,
      request: meta.request,
      status: meta.response?.status ?? null,
      ...(meta.transport ? { transport: meta.transport } : {}),
    });
  } catch (error) {
    object.error = error instanceof Error ? error.message : String(error);
    return object;
  }
  const source = project.sources.find((s) => key.startsWith(`${s.landingPrefix}/`));
  if (!source) {
    object.not_found = `no source of the project reads ${key}`;
    return object;
  }
  const columns = source.contract?.columns;
  if (!columns) {
    object.not_found = `source ${source.sourceName}.${source.tableName} declares no column paths: the record holding the key cannot be told`;
    return object;
  }
  const reasons: string[] = [];
  for (const use of uses) {
    const model = project.models.get(use.staging);
    if (!model?.dependsOn.includes(source.uniqueId)) {
      reasons.push(`${use.staging} does not read ${source.sourceName}.${source.tableName} directly`);
      continue;
    }
    const parts: ContractColumn[] = [];
    for (const column of use.columns) {
      const found = sourceColumnOf(
        model.rawSql,
        column,
        columns.map((c) => c.name),
      );
      if ('reason' in found) {
        reasons.push(found.reason);
        break;
      }
      const contract = columns.find((c) => c.name === found.column) as ContractColumn;
      if (contract.documentPath) {
        reasons.push(
          `${contract.name} comes from the payload's root (${contract.pathText}), not from a record`,
        );
        break;
      }
      parts.push(contract);
    }
    if (parts.length !== use.columns.length) continue;
    const container = source.records.container ? formatJsonPath(source.records.container) : '$';
    object.match = {
      paths: parts.map((p) => `${container}[*].${p.pathText.replace(/^\$\.?/, '')}`),
      values: use.values,
    };
    let records: ReturnType<typeof readAllRecords>['records'];
    try {
      records = readAllRecords(body, {
        ...(source.records.container ? { container: source.records.container } : {}),
        layout: source.records.layout,
        maxDepth: source.records.maxDepth,
      }).records;
    } catch (error) {
      object.not_found = `the payload could not be read: ${error instanceof Error ? error.message : error}`;
      return object;
    }
    const matching = records.filter((record) =>
      parts.every((part, i) => matchesKey(record.value, part, use.values[i], caseInsensitive)),
    );
    const first = matching[0];
    if (!first) {
      reasons.push(
        `none of the ${records.length} records has ${parts.map((p, i) => `${p.pathText} = ${JSON.stringify(use.values[i])}`).join(' and ')}`,
      );
      continue;
    }
    object.record_index = first.index;
    object.record = JSON.parse(first.text);
    if (matching.length > 1) object.other_matches = matching.slice(1).map((r) => r.index);
    return object;
  }
  object.not_found = `not found: ${[...new Set(reasons)].join('; ')}`;
  return object;
}

/** Whether the record's value for `column` is the business key value (as staging trims it). */
function matchesKey(
  record: unknown,
  column: ContractColumn,
  expected: unknown,
  caseInsensitive: boolean,
): boolean {
  for (const path of column.paths) {
    const got = getPath(record, path);
    if (!got.found) continue;
    const text = (v: unknown) => {
      const s = (isRawNumber(v) ? v.text : String(v)).trim();
      return caseInsensitive ? s.toUpperCase() : s;
    };
    return got.value !== null && expected !== null && text(got.value) === text(expected);
  }
  return false;
}

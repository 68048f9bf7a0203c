import type { GraphNode, NodeResult, ProjectGraph, RunResult, SourceReport } from '../project/types.ts';

/**
 * Text reports of a run for people: the results table (node, type, status, rows, time), the details
 * of everything that did not simply succeed, and one summary line. Pure.
 */
export interface ResultsTable {
  headers: string[];
  rows: (string | number)[][];
}

export function nodeLabel(node: GraphNode | undefined, id: string): string {
  if (!node) return id;
  if (node.resourceType === 'source') return `${node.sourceName}.${node.tableName}`;
  if (node.resourceType === 'model' || node.resourceType === 'seed' || node.resourceType === 'vault') {
    return `${node.schema}.${node.alias}`;
  }
  return node.name;
}

export function nodeKind(node: GraphNode | undefined): string {
  if (!node) return '?';
  if (node.resourceType === 'model') return `${node.materialized}`;
  if (node.resourceType === 'test') return node.severity === 'warn' ? 'test (warn)' : 'test';
  return node.resourceType;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

export function resultsTable(graph: ProjectGraph, result: RunResult): ResultsTable {
  return {
    headers: ['#', 'node', 'type', 'status', 'rows', 'time'],
    rows: result.results.map((r, i) => {
      const node = graph.nodes.get(r.uniqueId);
      const rows =
        r.failures !== undefined
          ? `${r.failures} failing`
          : r.rowsAffected !== undefined
            ? String(r.rowsAffected)
            : '';
      return [
        i + 1,
        nodeLabel(node, r.uniqueId),
        nodeKind(node),
        r.status.toUpperCase(),
        rows,
        formatSeconds(r.durationMs),
      ];
    }),
  };
}

function oneLine(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Lines explaining errors, failures, warnings, skips and skipped payloads. */
export function resultDetails(graph: ProjectGraph, result: RunResult): string[] {
  const lines: string[] = [];
  for (const r of result.results) {
    const label = nodeLabel(graph.nodes.get(r.uniqueId), r.uniqueId);
    if (
      r.status === 'error' ||
      r.status === 'fail' ||
      r.status === 'warn' ||
      r.status === 'skipped' ||
      r.status === 'cancelled'
    ) {
      const message = (r.message ?? '').split('\n');
      lines.push(`${r.status.toUpperCase()} ${label}: ${message[0] ?? ''}`);
      for (const extra of message.slice(1)) if (extra.trim()) lines.push(`  ${extra}`);
      for (const row of r.sample ?? []) lines.push(`  ${oneLine(row)}`);
    } else if (r.message) {
      lines.push(`NOTE ${label}: ${r.message}`);
    }
  }
  for (const s of result.sources ?? []) lines.push(...sourceLines(s));
  return lines;
}

/** Lines about one source's payloads: quarantined now and before, rejected values, the verdict. */
export function sourceLines(s: SourceReport): string[] {
  const lines: string[] = [];
  const level = s.failure ? 'ERROR' : 'WARN';
  if (s.quarantined.length > 0) {
    lines.push(
      `${level} source ${s.source}: ${s.quarantined.length} payload(s) quarantined by this run (not read; later payloads were):`,
    );
    for (const q of s.quarantined) lines.push(`  ${q.key}: ${q.reason}`);
  }
  if (s.rejects > 0) {
    lines.push(
      `${level} source ${s.source}: ${s.rejects} value(s) rejected (NULL in the relation; all in vaultline_meta.rejects), e.g.:`,
    );
    for (const r of s.rejectSamples.slice(0, 5))
      lines.push(`  ${r.key} record ${r.recordIndex}, ${r.column} (${r.path}): ${r.reason}`);
  }
  if (s.stillQuarantined.length > 0) {
    lines.push(
      `NOTE source ${s.source}: ${s.stillQuarantined.length} payload(s) still in quarantine from earlier runs (vaultline landing quarantine):`,
    );
    for (const q of s.stillQuarantined.slice(0, 5)) lines.push(`  ${q.key}: ${q.reason}`);
    if (s.stillQuarantined.length > 5) lines.push(`  … and ${s.stillQuarantined.length - 5} more`);
  }
  if (s.failure) {
    lines.push(
      `ERROR source ${s.source}: ${s.failure}: the run fails; fix the contract or the payloads, or raise the tolerance in _sources.yml`,
    );
  }
  return lines;
}

export function summaryLine(result: RunResult): string {
  const count = (s: NodeResult['status']) => result.results.filter((r) => r.status === s).length;
  const parts = (['success', 'pass', 'warn', 'fail', 'error', 'skipped', 'cancelled'] as const)
    .map((s) => [s, count(s)] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const ms = Date.parse(result.finishedAt) - Date.parse(result.startedAt);
  const sources = result.sources ?? [];
  const quarantined = sources.reduce((n, s) => n + s.quarantined.length, 0);
  const still = sources.reduce((n, s) => n + s.stillQuarantined.length, 0);
  const rejects = sources.reduce((n, s) => n + s.rejects, 0);
  const head = result.cancelled ? 'Cancelled' : result.success ? 'Done' : 'Failed';
  return (
    `${head}: ${result.results.length} node(s)${parts.length ? ` — ${parts.join(', ')}` : ''} in ${formatSeconds(ms)}` +
    (quarantined > 0 ? `; ${quarantined} payload(s) quarantined` : '') +
    (rejects > 0 ? `; ${rejects} value(s) rejected` : '') +
    (still > 0 ? `; ${still} payload(s) still in quarantine` : '')
  );
}

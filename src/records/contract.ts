import type { ContractType } from './contract-types.ts';
import type { PathSegment } from './json-path.ts';

/**
 * A source table's declared contract (DESIGN.md, records layer): the columns its relation always has,
 * whatever a payload holds, each with where its value is and its type. Built by the project loader
 * from `_sources.yml` (src/project/build-sources.ts), applied by the records reader
 * (src/records/record-rows.ts) to every record of every landed object.
 */
export interface ContractColumn {
  name: string;
  type: ContractType;
  /** Paths inside the record; the first one the record has wins (`rocket.id`, then `rocket`). */
  paths: PathSegment[][];
  /** A path from the document's root instead (a value of the whole payload, the same for every record). */
  documentPath?: PathSegment[];
  /** The path as written in YAML, for reject rows and messages. */
  pathText: string;
  /** timestamp/date: `epoch_ms`, `epoch_s` or a strptime pattern (src/records/convert.ts). */
  format?: string;
  /** `null` (default): a value that does not convert becomes NULL plus a reject row; `fail`: the payload is quarantined. */
  onError: 'null' | 'fail';
}

export interface SourceContract {
  columns: ContractColumn[];
}

/** How records are found in a payload. */
export interface RecordsSpec {
  /** Path to the records container; undefined: a top-level array's elements, or the document itself. */
  container?: PathSegment[];
  /** `rows`: the container is an array of records; `columns`: an object of parallel arrays; `document`: the whole payload is one record (`sql:` sources). */
  layout: 'rows' | 'columns' | 'document';
  /** A payload without the container: quarantined (default) or read as no records. */
  missing: 'quarantine' | 'empty';
  /** Deepest nesting allowed in a payload. */
  maxDepth: number;
}

export const DEFAULT_MAX_DEPTH = 256;

/** How many rejected values and quarantined payloads one run may meet before it exits 1. */
export interface Tolerance {
  maxRejects: number;
  maxQuarantined: number;
}

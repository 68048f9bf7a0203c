/**
 * `loadVaultSpecs`: the `vault:` sections of vaultline.yml and models/**\/*.yml → validated entity
 * specs and file:line diagnostics. Called by the project loader; reads no files itself (the caller
 * passes text or an already parsed document), so it stays pure and testable.
 */
import { z } from 'zod';
import {
  type PositionedYaml,
  parseYamlWithPositions,
  yamlSyntaxDiagnostics,
} from '../../config/yaml-positions.ts';
import { zodIssuesToDiagnostics } from '../../config/zod-diagnostics.ts';
import type { Diagnostic } from '../../shared/diagnostics.ts';
import { DEFAULT_HASHING, type HashingStandard } from '../hashing.ts';
import type { VaultEntitySpec } from '../types.ts';
import { type RawEntity, type RawEntityKind, resolveEntities } from './resolve.ts';
import {
  effectivitySatelliteSchema,
  hashingSchema,
  hubSchema,
  linkSchema,
  pitSchema,
  recordTrackingSatelliteSchema,
  satelliteSchema,
  vaultDocumentSchema,
} from './schema.ts';

export interface VaultYamlFile {
  /** Path shown in diagnostics (relative to the project is friendliest). */
  file: string;
  /** The file's text, when the caller has not parsed it. */
  text?: string;
  /** The parsed document with positions, when the caller already has it. */
  yaml?: PositionedYaml;
  /** The document as data (e.g. vaultline.yml after env interpolation); else `yaml.doc.toJS()`. */
  data?: unknown;
}

export interface LoadVaultSpecsInput {
  /** vaultline.yml: its `vault:` may hold `hashing:` and entities. */
  config?: VaultYamlFile;
  /** models/**\/*.yml: only their `vault:` key is read; other keys belong to the project layer. */
  files?: VaultYamlFile[];
  /** Staging model names, for "unknown source" diagnostics with a did-you-mean; unchecked when absent. */
  knownModels?: Iterable<string>;
}

export interface LoadVaultSpecsResult {
  entities: VaultEntitySpec[];
  hashing: HashingStandard;
  diagnostics: Diagnostic[];
}

const LISTS: { key: string; kind: RawEntityKind; schema: z.ZodType }[] = [
  { key: 'hubs', kind: 'hub', schema: hubSchema },
  { key: 'links', kind: 'link', schema: linkSchema },
  { key: 'satellites', kind: 'satellite', schema: satelliteSchema },
  { key: 'effectivity_satellites', kind: 'effectivity_satellite', schema: effectivitySatelliteSchema },
  {
    key: 'record_tracking_satellites',
    kind: 'record_tracking_satellite',
    schema: recordTrackingSatelliteSchema,
  },
  { key: 'pits', kind: 'pit', schema: pitSchema },
];

/** The section's own keys (lists are checked item by item, so one bad entity hides no other). */
const sectionShapeSchema = z.strictObject({
  hashing: z.unknown().optional(),
  ...Object.fromEntries(LISTS.map((l) => [l.key, z.array(z.unknown()).nullish()])),
});

export function loadVaultSpecs(input: LoadVaultSpecsInput): LoadVaultSpecsResult {
  const diagnostics: Diagnostic[] = [];
  const raw: RawEntity[] = [];
  let hashing = DEFAULT_HASHING;

  const documents = [
    ...(input.config ? [{ source: input.config, isConfig: true }] : []),
    ...(input.files ?? []).map((source) => ({ source, isConfig: false })),
  ];
  for (const { source, isConfig } of documents) {
    const parsed = parseDocument(source, diagnostics);
    if (!parsed) continue;
    const { yaml, data } = parsed;
    const section = (data as Record<string, unknown>).vault;
    if (section === undefined || section === null) continue;
    const file = source.file;
    const zodDiagnostics = (issues: readonly z.core.$ZodIssue[], prefix: (string | number)[]) =>
      zodIssuesToDiagnostics(
        issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] })) as z.core.$ZodIssue[],
        { file, yaml, schema: vaultDocumentSchema, data },
      );

    const shape = sectionShapeSchema.safeParse(section);
    if (!shape.success) {
      diagnostics.push(...zodDiagnostics(shape.error.issues, ['vault']));
      if (typeof section !== 'object' || Array.isArray(section)) continue;
    }
    const record = section as Record<string, unknown>;

    if (record.hashing !== undefined) {
      if (!isConfig) {
        diagnostics.push({
          file,
          line: yaml.lineOfKey(['vault'], 'hashing'),
          message: 'vault.hashing is project-wide and only read from vaultline.yml',
          hint: 'move it to the vault: section of vaultline.yml',
          severity: 'error',
        });
      } else {
        const result = hashingSchema.safeParse(record.hashing);
        if (result.success) {
          hashing = {
            algorithm: result.data.algorithm,
            case: result.data.case,
            delimiter: result.data.delimiter,
            nullToken: result.data.null_token,
          };
        } else diagnostics.push(...zodDiagnostics(result.error.issues, ['vault', 'hashing']));
      }
    }

    for (const list of LISTS) {
      const items = record[list.key];
      if (!Array.isArray(items)) continue;
      items.forEach((item, index) => {
        const path = ['vault', list.key, index];
        const result = list.schema.safeParse(item);
        const name =
          item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string'
            ? (item as { name: string }).name
            : undefined;
        if (!result.success) {
          diagnostics.push(
            ...zodDiagnostics(result.error.issues, path).map((d) => (name ? { ...d, node: name } : d)),
          );
        }
        raw.push({
          kind: list.kind,
          entry: result.success ? (result.data as RawEntity['entry']) : undefined,
          declaredName: name,
          file,
          yaml,
          path,
        });
      });
    }
  }

  const resolved = resolveEntities(raw, hashing, input.knownModels ? new Set(input.knownModels) : undefined);
  diagnostics.push(...resolved.diagnostics);
  return { entities: resolved.entities, hashing, diagnostics };
}

function parseDocument(
  source: VaultYamlFile,
  diagnostics: Diagnostic[],
): { yaml: PositionedYaml; data: Record<string, unknown> } | undefined {
  let yaml = source.yaml;
  if (!yaml) {
    yaml = parseYamlWithPositions(source.text ?? '');
    if (yaml.errors.length > 0) {
      diagnostics.push(...yamlSyntaxDiagnostics(yaml, source.file));
      return undefined;
    }
  }
  const data = source.data ?? yaml.doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  return { yaml, data: data as Record<string, unknown> };
}

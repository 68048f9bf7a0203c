import { z } from 'zod';
import { parseLandingKey } from '../../landing/keys.ts';
import { monthOfLoadDate } from './months.ts';

/**
 * The manifest of one compacted file: which landed objects it holds (with the sha256 of each, from
 * its sidecar), the file's own sha256 and size, and who wrote it. Written after the Parquet file, it
 * is the commit point; readers trust a Parquet file only through its manifest.
 */
export const COMPACTED_COLUMNS = ['_landing_key', '_load_ts', 'sha256', 'valid_json', 'payload'] as const;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const manifestSchema = z.object({
  format_version: z.literal(1),
  kind: z.literal('vaultline.compacted_month'),
  source: z.string(),
  resource: z.string(),
  month: z.string().regex(/^\d{4}-\d{2}$/),
  parquet: z.object({
    key: z.string(),
    sha256,
    bytes: z.number().int().nonnegative(),
    rows: z.number().int().nonnegative(),
    row_groups: z.number().int().nonnegative(),
    row_group_size: z.number().int().positive(),
    compression: z.string(),
    columns: z.array(z.string()),
  }),
  /** In key order, which is the row order of the file. */
  objects: z.array(
    z.object({
      key: z.string(),
      sha256,
      bytes: z.number().int().nonnegative(),
      compressed_bytes: z.number().int().nonnegative(),
      load_ts: z.string(),
    }),
  ),
  /** Objects of the month this run looked at but left to be read as JSON, and why. */
  json_only: z.array(z.object({ key: z.string(), sha256, reason: z.string() })),
  created_at: z.string(),
  vaultline_version: z.string(),
  engine: z.string(),
});

export type CompactionManifest = z.infer<typeof manifestSchema>;

/**
 * Parses a manifest and checks that it is consistent with where it lies: every object key belongs to
 * the manifest's source, resource and month, and the row count matches. Throws an Error saying what is
 * wrong (callers name the manifest key).
 */
export function parseManifest(
  bytes: Buffer,
  expected: { source: string; resource: string; month: string; folder: string },
) {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`not a compaction manifest: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const manifest = parsed.data;
  for (const field of ['source', 'resource', 'month'] as const) {
    if (manifest[field] !== expected[field])
      throw new Error(`its ${field} is "${manifest[field]}" but it lies in the folder of ${expected[field]}`);
  }
  const parquet = manifest.parquet.key;
  if (
    !parquet.startsWith(expected.folder) ||
    parquet.slice(expected.folder.length).includes('/') ||
    !parquet.endsWith('.parquet')
  )
    throw new Error(
      `its Parquet file ${parquet} is not a .parquet file in its own folder ${expected.folder}`,
    );
  if (manifest.parquet.rows !== manifest.objects.length)
    throw new Error(`it lists ${manifest.objects.length} object(s) for ${manifest.parquet.rows} row(s)`);
  for (const object of manifest.objects) {
    const parts = parseLandingKey(object.key);
    if (
      !parts ||
      parts.source !== manifest.source ||
      parts.resource !== manifest.resource ||
      monthOfLoadDate(parts.loadDate) !== manifest.month
    ) {
      throw new Error(
        `object ${object.key} is not a landing key of ${manifest.source}/${manifest.resource} in ${manifest.month}`,
      );
    }
  }
  return manifest;
}

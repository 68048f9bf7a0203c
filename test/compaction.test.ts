/**
 * Compaction end to end on real DuckDB: a project whose sources have payloads landed in two closed
 * months and the current one is built; `compactStore` writes the closed months to Parquet; a fresh
 * warehouse built from the compacted store gives the very same rows in every model, the same load
 * audit and the same payload checks, without opening a compacted object's gzip body. Incremental
 * models of the existing warehouse are unaffected; a late arrival in a compacted month is read from
 * its JSON, and a second compaction covers only it. A row that does not match its sidecar, or a
 * changed Parquet file, is refused naming the key. The same flow runs against an S3 store (s3rver).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config/load.ts';
import type { VaultlineConfig } from '../src/config/schema.ts';
import { duckdbEngine } from '../src/engine/engine.ts';
import { landPayload } from '../src/landing/land.ts';
import { LocalStore } from '../src/landing/local-store.ts';
import { S3Store } from '../src/landing/s3-store.ts';
import type { LandingStore } from '../src/landing/store.ts';
import { loadCheckedProject } from '../src/project/load-project.ts';
import { renderNode } from '../src/project/render.ts';
import { selectNodes } from '../src/project/selection/select.ts';
import { compactStore } from '../src/run/compaction/compact.ts';
import type { CompactionManifest } from '../src/run/compaction/manifest.ts';
import { runProject } from '../src/run/run-project.ts';
import { openWarehouse } from '../src/run/warehouse.ts';
import { steppingClock } from '../src/shared/clock.ts';
import { describeRun, vaultline } from './helpers/cli.ts';
import { type S3rverHandle, startS3rver } from './helpers/s3rver.ts';

/** "Now" for compaction: November 2026, so September and October are closed and November is not. */
const NOW = new Date('2026-11-15T08:00:00Z');

const FILES: Record<string, string> = {
  'vaultline.yml': `name: cx
landing:
  type: local
  path: .vaultline/raw
warehouse:
  type: duckdb
  path: .vaultline/warehouse.duckdb
models:
  cx:
    staging:
      +materialized: incremental
      +incremental_strategy: append
      +on_schema_change: append_new_columns
      +schema: staging
    marts:
      +materialized: table
      +schema: marts
`,
  'models/staging/_sources.yml': `version: 2
sources:
  - name: demo
    tables:
      - name: orders
        landing: demo/orders
        records: "$.orders[*]"
        # Three payloads cannot be read (no records path, not JSON, a lone surrogate): quarantined.
        max_quarantined: 3
      - name: events
        landing: demo/events
        sql: "select json->>'$.id' as event_id, json->>'$.kind' as kind, json::varchar as doc, _landing_key, _load_ts, _record_source from payload"
`,
  'models/staging/stg_orders.sql': `select * from {{ source('demo', 'orders') }}`,
  'models/staging/stg_events.sql': `select * from {{ source('demo', 'events') }}`,
  'models/staging/orders_all.sql': `{{ config(materialized='view') }}
select _landing_key, _load_ts, _record_source, id, amount, customer, tags from {{ source('demo', 'orders') }}`,
  'models/marts/orders_by_month.sql': `select strftime(_load_ts, '%Y-%m') as month, count(*) as orders,
  sum(amount) as amount, count(distinct customer.name) as customers
from {{ ref('stg_orders') }} group by 1`,
};

/** Order payloads of varied shape: key order, nulls, big and small numbers, unicode, padding. */
function ordersPayload(n: number): string {
  const orders = Array.from({ length: 3 + (n % 3) }, (_, i) => {
    const id = n * 10 + i;
    const order: Record<string, unknown> =
      i % 2 === 0
        ? { id, amount: id * 1.25, customer: { name: `Zoë ${id % 4}`, tier: i } }
        : { customer: { tier: null, name: `Müller-${id % 3}` }, amount: id, id, tags: ['a', `t${i}`] };
    if (n % 4 === 0) order.big = 12345678901234567890n.toString();
    return order;
  });
  const body = JSON.stringify({ page: n, orders }, null, n % 2 === 0 ? 2 : undefined);
  // Whitespace around the document: read_json_objects trims it, and so must the compacted read.
  return n % 3 === 0 ? `  \n${body}\r\n\n` : body;
}

interface Landed {
  key: string;
  at: string;
}

async function land(
  store: LandingStore,
  resource: string,
  body: string | Buffer,
  at: string,
): Promise<Landed> {
  const meta = await landPayload(
    store,
    {
      source: 'demo',
      resource,
      body: Buffer.from(body),
      request: { method: 'GET', url: `https://api.example.test/${resource}?at=${at}` },
      response: { status: 200 },
      connector: { name: 'test', version: '0' },
      runId: 'land',
    },
    steppingClock(new Date(at)),
  );
  return { key: meta.key, at };
}

/** Two closed months (September, October 2026) and the current month (November 2026). */
interface SpecialKeys {
  missingPath: string;
  notJson: string;
  loneSurrogate: string;
}

async function landHistory(store: LandingStore): Promise<SpecialKeys> {
  const days = [
    '2026-09-03',
    '2026-09-17',
    '2026-09-28',
    '2026-10-01',
    '2026-10-15',
    '2026-10-31',
    '2026-11-02',
    '2026-11-10',
  ];
  for (const [i, day] of days.entries()) {
    await land(store, 'orders', ordersPayload(i + 1), `${day}T06:00:00.000Z`);
    const event = JSON.stringify({ id: `e${i}`, kind: i % 2 ? 'click' : 'view', at: day, n: i / 3 });
    await land(store, 'events', i % 3 === 0 ? `\t${event}\n` : event, `${day}T07:00:00.000Z`);
  }
  const missingPath = await land(store, 'orders', '{"error": "rate limited"}', '2026-09-10T00:00:00.000Z');
  const notJson = await land(store, 'orders', '{"orders": [', '2026-10-10T00:00:00.000Z');
  // JSON.parse accepts a lone surrogate escape; DuckDB's reader does not: it must stay JSON-only.
  const loneSurrogate = await land(
    store,
    'orders',
    '{"orders": [{"id": 99, "customer": {"name": "\\ud800"}}]}',
    '2026-10-11T00:00:00.000Z',
  );
  return { missingPath: missingPath.key, notJson: notJson.key, loneSurrogate: loneSurrogate.key };
}

function writeProject(dir: string): void {
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
}

/** A store that records which keys were read how, to prove what a build did and did not open. */
function recording(store: LandingStore) {
  const localPaths: string[] = [];
  const artifactPaths: string[] = [];
  const wrapped: LandingStore = Object.create(store);
  wrapped.localPath = async (key) => {
    localPaths.push(key);
    return store.localPath(key);
  };
  wrapped.bodyPath = async (key) => {
    localPaths.push(key);
    return store.bodyPath(key);
  };
  wrapped.artifactPath = async (key, sha256) => {
    artifactPaths.push(key);
    return store.artifactPath(key, sha256);
  };
  return { store: wrapped, localPaths, artifactPaths };
}

const MODELS = ['staging.stg_orders', 'staging.stg_events', 'staging.orders_all', 'marts.orders_by_month'];

class Warehouse {
  private runs = 0;
  readonly warnings: string[] = [];
  constructor(
    readonly config: VaultlineConfig,
    readonly name: string,
  ) {}

  async build(store: LandingStore) {
    const graph = await loadCheckedProject(this.config);
    this.runs++;
    const { result } = await runProject({
      config: this.config,
      selected: selectNodes(graph),
      command: 'build',
      render: renderNode,
      version: 'test',
      store,
      clock: steppingClock(new Date(Date.UTC(2026, 10, 20, this.runs))),
      ids: { next: () => `${this.name}-run-${this.runs}` },
      warn: (m) => this.warnings.push(m),
    });
    assert.equal(result.success, true, JSON.stringify(result.results, null, 2));
    return result;
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    const { session } = await openWarehouse(this.config);
    try {
      return await session.query(sql);
    } finally {
      await session.close();
    }
  }

  /** Every model's rows (sorted), the load audit, the objects read and the quarantine, minus run ids and times. */
  async snapshot() {
    const out: Record<string, unknown> = {};
    for (const model of MODELS) {
      out[model] = await this.query(`select * from ${model} order by all`);
      out[`${model} columns`] = await this.query(
        `select column_name, data_type from information_schema.columns where table_schema || '.' || table_name = '${model}' order by ordinal_position`,
      );
    }
    out.audit = await this.query(
      'select model_unique_id, source_unique_id, landing_key, sha256, load_ts, row_count, status, message from vaultline_meta.load_audit order by all',
    );
    out.objects = await this.query(
      'select source_unique_id, generation, landing_key, sha256, load_ts, bytes, status, record_count, reject_count, missing, structure, note from vaultline_meta.raw_objects order by all',
    );
    out.quarantine = await this.query(
      'select source_unique_id, landing_key, sha256, reason from vaultline_meta.quarantine where released_at is null order by all',
    );
    return out;
  }
}

function configWith(config: VaultlineConfig, warehousePath: string): VaultlineConfig {
  return { ...config, warehouse: { type: 'duckdb', path: warehousePath } };
}

async function storeDigest(store: LandingStore, prefix = ''): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const entry of store.listEntries(prefix)) {
    if (entry.key.startsWith('_compacted/')) continue;
    out.set(
      entry.key,
      createHash('sha256')
        .update(await store.readEntry(entry.key))
        .digest('hex'),
    );
  }
  return out;
}

function compact(store: LandingStore, now = NOW) {
  const progress: string[] = [];
  return compactStore({
    store,
    engine: duckdbEngine,
    clock: steppingClock(now),
    version: 'test',
    rowGroupSize: 4,
    onProgress: (m) => progress.push(m),
  }).then((report) => ({ report, progress }));
}

describe('compaction: a compacted store builds the same warehouse', () => {
  let dir = '';
  let config: VaultlineConfig;
  let store: LocalStore;
  let keys: SpecialKeys;
  let original: Warehouse;
  let baseline: Record<string, unknown>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vaultline-compaction-'));
    writeProject(dir);
    config = loadConfig(dir, {});
    store = new LocalStore(join(dir, '.vaultline/raw'));
    keys = await landHistory(store);
    original = new Warehouse(configWith(config, 'a.duckdb'), 'a');
    await original.build(store);
    baseline = await original.snapshot();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('compact writes one Parquet file per source, resource and closed month, and leaves the JSON as it was', async () => {
    const rawBefore = await storeDigest(store);
    const { report, progress } = await compact(store);
    assert.equal(report.cutoff, '2026-11-01');
    assert.deepEqual(
      report.months.map((m) => [m.resource, m.month, m.status, m.objects]),
      [
        ['events', '2026-09', 'compacted', 3],
        ['events', '2026-10', 'compacted', 3],
        ['orders', '2026-09', 'compacted', 4],
        ['orders', '2026-10', 'compacted', 4],
      ],
    );
    const october = report.months.find((m) => m.resource === 'orders' && m.month === '2026-10')!;
    assert.deepEqual(
      october.jsonOnly.map((o) => o.key),
      [keys.loneSurrogate],
    );
    assert.match(october.jsonOnly[0]!.reason, /the landed-JSON reader cannot read its body/);
    assert.equal(october.rowGroups, 1);
    assert.ok(
      progress.some((p) => p.includes('wrote _compacted/demo/orders/month=2026-10/')),
      progress.join('\n'),
    );
    // Nothing of the current month, and the raw JSON is byte for byte what it was.
    assert.deepEqual(await storeDigest(store), rawBefore);
    const manifest = JSON.parse(
      (await store.getArtifact(october.manifestKey!)).toString('utf8'),
    ) as CompactionManifest;
    assert.equal(manifest.parquet.key, october.parquetKey);
    assert.equal(manifest.parquet.rows, 4);
    assert.deepEqual(manifest.parquet.columns, [
      '_landing_key',
      '_load_ts',
      'sha256',
      'valid_json',
      'payload',
    ]);
    assert.ok(
      manifest.objects.some((o) => o.key === keys.notJson),
      'an invalid payload is kept too (never read)',
    );
    for (const object of manifest.objects)
      assert.equal(object.sha256, (await store.getMeta(object.key)).sha256);
    assert.equal(
      manifest.parquet.sha256,
      createHash('sha256')
        .update(await store.getArtifact(october.parquetKey!))
        .digest('hex'),
    );
  });

  test('the Parquet rows hold the exact bodies: one row per object, payload hashing to the sidecar sha256', async () => {
    const { report } = await compact(store);
    assert.ok(
      report.months.every((m) => m.status === 'up_to_date'),
      'a second run has nothing to do',
    );
    const september = (await listManifests(store, 'demo/orders/')).find((m) => m.month === '2026-09')!;
    const file = await store.artifactPath(september.parquet.key, september.parquet.sha256);
    const rows = await original.query(
      `select _landing_key, _load_ts, sha256, valid_json, sha256(payload) = sha256 as same, length(payload) as chars from read_parquet('${file}') order by _landing_key`,
    );
    assert.equal(rows.length, 4);
    for (const row of rows) {
      const meta = await store.getMeta(String(row._landing_key));
      assert.equal(row.sha256, meta.sha256);
      assert.equal(row.same, true);
      assert.equal((row._load_ts as Date).toISOString(), meta.load_ts);
      assert.equal(row.valid_json, meta.valid_json);
    }
    const groups = await original.query(
      `select count(distinct row_group_id) as n from parquet_metadata('${file}')`,
    );
    assert.equal(Number(groups[0]!.n), 1);
  });

  test('a fresh warehouse built from the compacted store has identical rows, audit and checks, read from Parquet', async () => {
    const fresh = new Warehouse(configWith(config, 'b.duckdb'), 'b');
    const spy = recording(store);
    await fresh.build(spy.store);
    assert.deepEqual(await fresh.snapshot(), baseline);
    const compacted = new Set(
      (await listManifests(store, 'demo/')).flatMap((m) => m.objects.map((o) => o.key)),
    );
    assert.equal(compacted.size, 14);
    const openedCompacted = spy.localPaths.filter((key) => compacted.has(key));
    assert.deepEqual(openedCompacted, [], 'no gzip body of a compacted object was opened');
    assert.ok(spy.localPaths.includes(keys.loneSurrogate), 'the JSON-only object is read from its JSON');
    assert.ok(spy.artifactPaths.length >= 4, 'the Parquet files were read');
    assert.ok(
      fresh.warnings.some((w) => w.includes(keys.missingPath) && w.includes('$.orders')),
      'a payload without its records path is skipped as before',
    );
  });

  test('incremental models of the existing warehouse are unaffected: nothing re-read, audit unchanged', async () => {
    const result = await original.build(store);
    const stg = result.results.find((r) => r.uniqueId === 'model.cx.stg_orders')!;
    assert.equal(stg.rowsAffected, 0);
    assert.deepEqual(await original.snapshot(), baseline);
  });

  test('a late arrival in a compacted month is read from JSON; a second compaction covers only it', async () => {
    const late = await land(store, 'orders', ordersPayload(41), '2026-09-30T23:59:59.999Z');
    const spy = recording(store);
    const result = await original.build(spy.store);
    assert.equal(result.results.find((r) => r.uniqueId === 'model.cx.stg_orders')!.rowsAffected, 5);
    assert.ok(spy.localPaths.includes(late.key), 'read from its gzip body');
    const withLate = await original.snapshot();
    const audit = await original.query(
      `select row_count, status from vaultline_meta.load_audit where landing_key = '${late.key}' and model_unique_id = 'model.cx.stg_orders'`,
    );
    assert.deepEqual(audit, [{ row_count: 5n, status: 'loaded' }]);

    const { report } = await compact(store, new Date('2026-11-16T00:00:00Z'));
    const september = report.months.filter((m) => m.month === '2026-09' && m.resource === 'orders');
    assert.deepEqual(
      september.map((m) => [m.status, m.objects, m.alreadyCompacted]),
      [['compacted', 1, 4]],
    );
    const manifests = (await listManifests(store, 'demo/orders/')).filter((m) => m.month === '2026-09');
    assert.equal(manifests.length, 2);
    assert.deepEqual(
      manifests[1]!.objects.map((o) => o.key),
      [late.key],
    );

    const fresh = new Warehouse(configWith(config, 'c.duckdb'), 'c');
    const freshSpy = recording(store);
    await fresh.build(freshSpy.store);
    assert.deepEqual(await fresh.snapshot(), withLate);
    assert.ok(!freshSpy.localPaths.includes(late.key), 'now read from the second Parquet file');
  });

  test('a row whose sha256 differs from the sidecar is refused, naming the key', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'vaultline-compaction-bad-'));
    try {
      writeProject(sub);
      const subConfig = loadConfig(sub, {});
      const subStore = new LocalStore(join(sub, '.vaultline/raw'));
      const { key } = await land(subStore, 'orders', ordersPayload(1), '2026-09-03T06:00:00.000Z');
      await land(subStore, 'events', '{"id": "e1"}', '2026-09-03T06:00:00.000Z');
      const { report } = await compact(subStore);
      const month = report.months.find((m) => m.resource === 'orders')!;
      // A second file for the month whose row carries a wrong sha256, committed under an earlier name
      // so that readers pick it: as if the Parquet file had been produced wrongly.
      const good = await subStore.artifactPath(
        month.parquetKey!,
        (await listManifests(subStore, 'demo/orders/'))[0]!.parquet.sha256,
      );
      const bad = join(sub, 'bad.parquet');
      await original.query(
        `copy (select _landing_key, _load_ts, repeat('0', 64) as sha256, valid_json, payload from read_parquet('${good}')) to '${bad}' (format parquet)`,
      );
      const badKey = '_compacted/demo/orders/month=2026-09/20260101T000000000Z.parquet';
      const stored = await subStore.putArtifact(badKey, { file: bad });
      const manifest = (await listManifests(subStore, 'demo/orders/'))[0]!;
      await subStore.putArtifact(
        badKey.replace('.parquet', '.manifest.json'),
        Buffer.from(
          JSON.stringify({
            ...manifest,
            parquet: { ...manifest.parquet, key: badKey, sha256: stored.sha256, bytes: stored.bytes },
          }),
        ),
      );
      const graph = await loadCheckedProject(subConfig);
      const { result } = await runProject({
        config: subConfig,
        selected: selectNodes(graph, { select: ['stg_orders'] }),
        command: 'build',
        render: renderNode,
        version: 'test',
        store: subStore,
        ids: { next: () => 'bad-1' },
      });
      const r = result.results.find((x) => x.uniqueId === 'model.cx.stg_orders')!;
      assert.equal(r.status, 'error');
      assert.ok(r.message?.includes(key), r.message);
      assert.match(r.message ?? '', /has sha256 0{64}, but the object's sidecar says [0-9a-f]{64}/);
      assert.match(r.message ?? '', /refuses to read it/);

      // A Parquet file changed after its manifest was written: refused, naming the file.
      rmSync(join(sub, '.vaultline/raw', ...badKey.replace('.parquet', '.manifest.json').split('/')));
      writeFileSync(join(sub, '.vaultline/raw', ...month.parquetKey!.split('/')), 'PAR1 changed');
      const again = await runProject({
        config: subConfig,
        selected: selectNodes(graph, { select: ['stg_orders'] }),
        command: 'build',
        render: renderNode,
        version: 'test',
        store: new LocalStore(join(sub, '.vaultline/raw')),
        ids: { next: () => 'bad-2' },
        fullRefresh: true,
      });
      const r2 = again.result.results.find((x) => x.uniqueId === 'model.cx.stg_orders')!;
      assert.equal(r2.status, 'error');
      assert.ok(r2.message?.includes(month.parquetKey!), r2.message);
      assert.match(r2.message ?? '', /hashes to [0-9a-f]{64}, but the manifest that committed it says/);
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });

  test('--dry-run reports what would be compacted and writes nothing', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'vaultline-compaction-dry-'));
    try {
      const subStore = new LocalStore(join(sub, 'raw'));
      await land(subStore, 'orders', ordersPayload(1), '2026-09-03T06:00:00.000Z');
      await land(subStore, 'orders', ordersPayload(2), '2026-11-03T06:00:00.000Z');
      const report = await compactStore({
        store: subStore,
        engine: duckdbEngine,
        clock: steppingClock(NOW),
        version: 'test',
        dryRun: true,
      });
      assert.deepEqual(
        report.months.map((m) => [m.month, m.status, m.objects, m.bytesParquet]),
        [['2026-09', 'would_compact', 1, null]],
      );
      assert.ok(report.months[0]!.bytesJsonGz > 0);
      const entries: string[] = [];
      for await (const e of subStore.listEntries('_compacted/')) entries.push(e.key);
      assert.deepEqual(entries, []);
      // --before limits compaction to months that end by that date.
      const limited = await compactStore({
        store: subStore,
        engine: duckdbEngine,
        clock: steppingClock(NOW),
        version: 'test',
        dryRun: true,
        before: '2026-09-30',
      });
      assert.deepEqual(limited.months, []);
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });
});

describe('compaction on an S3 landing store (s3rver)', () => {
  let s3: S3rverHandle;
  let dir = '';
  before(async () => {
    s3 = await startS3rver();
    dir = mkdtempSync(join(tmpdir(), 'vaultline-compaction-s3-'));
    writeProject(dir);
  });
  after(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const storeFor = (cache: string) =>
    new S3Store({
      bucket: s3.bucket,
      prefix: 'raw',
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: s3.credentials,
      cacheDir: join(dir, cache),
    });

  test('build, compact, and a fresh warehouse (empty cache) gives the same rows, reading Parquet from S3', async () => {
    const config = loadConfig(dir, {});
    const store = storeFor('cache-a');
    await landHistory(store);
    const a = new Warehouse(configWith(config, 'a.duckdb'), 'a');
    await a.build(store);
    const expected = await a.snapshot();
    const { report } = await compact(store);
    assert.equal(report.months.filter((m) => m.status === 'compacted').length, 4);
    const spy = recording(storeFor('cache-b'));
    const b = new Warehouse(configWith(config, 'b.duckdb'), 'b');
    await b.build(spy.store);
    assert.deepEqual(await b.snapshot(), expected);
    const compacted = new Set(
      (await listManifests(store, 'demo/')).flatMap((m) => m.objects.map((o) => o.key)),
    );
    assert.deepEqual(
      spy.localPaths.filter((k) => compacted.has(k)),
      [],
    );
    assert.ok(spy.artifactPaths.length >= 4);
  });
});

describe('vaultline compact (CLI)', () => {
  let dir = '';
  const cli = (...args: string[]) => vaultline(args, { cwd: dir });
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vaultline-compact-cli-'));
    writeProject(dir);
    // 2024: closed whatever day the tests run.
    const store = new LocalStore(join(dir, '.vaultline/raw'));
    for (const [i, day] of ['2024-01-10', '2024-01-20', '2024-02-05'].entries()) {
      await land(store, 'orders', ordersPayload(i + 1), `${day}T06:00:00.000Z`);
    }
    await land(store, 'events', '{"id": "e1", "kind": "view"}', '2024-01-11T00:00:00.000Z');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--dry-run, --source and --before choose months; the summary table and --json report them', async () => {
    const dry = await cli('compact', '--dry-run');
    assert.equal(dry.code, 0, describeRun(dry));
    assert.match(dry.out, /source\s+resource\s+month\s+status\s+objects\s+json only\s+JSON gz\s+Parquet/);
    assert.match(dry.out, /demo\s+orders\s+2024-01\s+would compact\s+2\s+0\s+\d/);
    assert.match(dry.out, /Dry run: 3 month\(s\), 4 object\(s\) would be compacted; nothing was written\./);

    const first = await cli(
      'compact',
      '--source',
      'demo',
      '--resource',
      'orders',
      '--before',
      '2024-02-01',
      '--json',
    );
    assert.equal(first.code, 0, describeRun(first));
    const report = JSON.parse(first.out) as Awaited<ReturnType<typeof compactStore>>;
    assert.equal(report.cutoff, '2024-02-01');
    assert.deepEqual(
      report.months.map((m) => [m.resource, m.month, m.status, m.objects]),
      [['orders', '2024-01', 'compacted', 2]],
    );
    assert.match(first.stderr, /demo\/orders 2024-01: wrote _compacted\/demo\/orders\/month=2024-01\//);

    const rest = await cli('compact');
    assert.equal(rest.code, 0, describeRun(rest));
    assert.match(rest.out, /demo\s+events\s+2024-01\s+compacted\s+1/);
    assert.match(rest.out, /demo\s+orders\s+2024-01\s+up to date\s+0/);
    assert.match(rest.out, /demo\s+orders\s+2024-02\s+compacted\s+1/);
    assert.match(
      rest.out,
      /Compacted 2 object\(s\) in 2 month\(s\): .* of gzip JSON → .* of Parquet\. The landed JSON stays as it was\./,
    );

    const build = await cli('build');
    assert.equal(build.code, 0, describeRun(build));
    assert.match(build.out, /staging\.stg_orders\s+incremental\s+SUCCESS\s+\d+/);
  });

  test('bad options exit 2 with what to change', async () => {
    for (const [args, message] of [
      [['--before', '2024-02-30'], /--before: not a date: "2024-02-30"/],
      [['--source', 'Demo'], /--source: invalid source "Demo"/],
      [['--row-group-size', '0'], /--row-group-size must be a whole number from 1 to 10000000/],
    ] as const) {
      const run = await cli('compact', ...args);
      assert.equal(run.code, 2, describeRun(run));
      assert.match(run.stderr, message);
    }
  });
});

async function listManifests(store: LandingStore, prefix: string) {
  const out: CompactionManifest[] = [];
  for await (const entry of store.listEntries(`_compacted/${prefix}`)) {
    if (!entry.key.endsWith('.manifest.json')) continue;
    out.push(JSON.parse((await store.getArtifact(entry.key)).toString('utf8')) as CompactionManifest);
  }
  return out.sort((a, b) => (a.parquet.key < b.parquet.key ? -1 : 1));
}

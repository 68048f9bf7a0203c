import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { type TestEngine, testEngines } from '../../test/helpers/engines.ts';
import { runVaultEntity } from './run.ts';
import { day, openVaultFixture, specsFromYaml, type VaultFixture } from './test-support.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const GHOST = '0'.repeat(64);

const YAML = `
vault:
  hubs:
    - name: hub_country
      business_key: [code]
      sources: [stg]
  satellites:
    - name: sat_country
      parent: hub_country
      source: stg
      attributes: [name, pop]
    - name: sat_country_seq
      parent: hub_country
      source: stg
      attributes: [name]
      sequence: [seq]
`;

async function fixture(engine: TestEngine) {
  const f = await openVaultFixture(YAML, { engine });
  await f.staging('stg', {
    code: 'text',
    name: 'text',
    pop: 'double',
    seq: 'integer',
    load_ts: 'timestamp',
    record_source: 'text',
  });
  return f;
}

type Staged = {
  code: string | null;
  name: string | null;
  pop?: number | null;
  seq?: number;
  d: number;
  rs?: string;
};
const rows = (list: Staged[]) =>
  list.map((r) => ({
    code: r.code,
    name: r.name,
    pop: r.pop ?? null,
    seq: r.seq ?? 0,
    load_ts: day(r.d),
    record_source: r.rs ?? 'src',
  }));

async function history(f: VaultFixture, table = 'sat_country') {
  return f.rows<{ hk: string; d: number; seq: number; name: string | null }>(
    `SELECT hk_country AS hk, CAST(EXTRACT(DAY FROM load_ts) AS INTEGER) AS d, load_seq AS seq, name FROM vault.${table}
     WHERE hk_country <> '${GHOST}' ORDER BY hk_country, load_ts, load_seq`,
  );
}

for (const engine of testEngines()) {
  describe(`${engine.name}: satellite`, () => {
    test('duplicates in a batch give one row; unchanged adds nothing; a change adds a row; counts add up', async () => {
      const f = await fixture(engine);
      await f.stage(
        'stg',
        rows([
          { code: 'FR', name: 'France', pop: 67, d: 1 },
          { code: 'FR', name: 'France', pop: 67, d: 1 },
          { code: 'fr ', name: 'France', pop: 67, d: 2 },
          { code: 'FR', name: 'France', pop: 68, d: 3 },
          { code: null, name: 'Nowhere', d: 3 },
        ]),
      );
      const r = await f.load('sat_country');
      assert.deepEqual(
        {
          read: r.rowsRead,
          nulls: r.skippedNullKeys,
          dup: r.duplicates,
          same: r.unchanged,
          ins: r.rowsInserted,
          late: r.skippedLateRows,
        },
        { read: 5, nulls: 1, dup: 1, same: 1, ins: 2, late: 0 },
      );
      assert.equal(
        r.rowsRead,
        r.skippedNullKeys + r.skippedLateRows + r.duplicates + r.unchanged + r.rowsInserted,
      );
      const got = await f.rows<{ d: number; pop: number; hashdiff: string }>(
        `SELECT CAST(EXTRACT(DAY FROM load_ts) AS INTEGER) AS d, pop, hashdiff FROM vault.sat_country WHERE hk_country = '${sha256('FR')}' ORDER BY load_ts`,
      );
      assert.deepEqual(got, [
        { d: 1, pop: 67, hashdiff: sha256('France||67') },
        { d: 3, pop: 68, hashdiff: sha256('France||68') },
      ]);
      await f.close();
    });

    test('flip-flop A→B→A within one batch keeps every change in load_ts order', async () => {
      const f = await fixture(engine);
      await f.stage(
        'stg',
        rows([
          { code: 'FR', name: 'A', d: 3 },
          { code: 'FR', name: 'A', d: 1 },
          { code: 'FR', name: 'B', d: 2 },
        ]),
      );
      await f.load('sat_country');
      assert.deepEqual(
        (await history(f)).map((h) => [h.d, h.name]),
        [
          [1, 'A'],
          [2, 'B'],
          [3, 'A'],
        ],
      );
      await f.close();
    });

    test('flip-flop A→B→A across batches, and an unchanged batch in between', async () => {
      const f = await fixture(engine);
      for (const [d, name, inserted] of [
        [1, 'A', 1],
        [2, 'A', 0],
        [3, 'B', 1],
        [4, 'A', 1],
      ] as const) {
        await f.stage('stg', rows([{ code: 'FR', name, d }]));
        assert.equal((await f.load('sat_country')).rowsInserted, inserted, `day ${d}`);
      }
      assert.deepEqual(
        (await history(f)).map((h) => [h.d, h.name]),
        [
          [1, 'A'],
          [3, 'B'],
          [4, 'A'],
        ],
      );
      await f.close();
    });

    test('several different records for one key at one load_ts are all kept, ordered by hashdiff', async () => {
      const f = await fixture(engine);
      await f.stage(
        'stg',
        rows([
          { code: 'FR', name: 'X', d: 1 },
          { code: 'FR', name: 'Y', d: 1 },
          { code: 'FR', name: 'Z', d: 1 },
        ]),
      );
      const r = await f.load('sat_country');
      assert.equal(r.rowsInserted, 3);
      const got = await history(f);
      // pop is NULL, and trailing null tokens are dropped: the hashdiff is sha256(name).
      const expected = ['X', 'Y', 'Z'].sort((a, b) => cmp(sha256(a), sha256(b)));
      assert.notDeepEqual(expected, ['X', 'Y', 'Z'].reverse(), 'the order is by hashdiff, not by name');
      assert.deepEqual(
        got.map((h) => [h.d, h.seq, h.name]),
        expected.map((name, i) => [1, i, name]),
      );
      await f.close();
    });

    test('a text sequence column orders by code point, whatever the collation', async () => {
      const f = await fixture(engine);
      const spec = specsFromYaml(`
vault:
  hubs: [{ name: hub_country, business_key: [code], sources: [stg] }]
  satellites: [{ name: sat_by_name, parent: hub_country, source: stg, attributes: [pop], sequence: [name] }]
`).get('sat_by_name')!;
      // 'B' < 'a' < 'b' by code point; en-US (the test server's collation) says 'a' < 'b' < 'B'.
      await f.stage(
        'stg',
        rows([
          { code: 'FR', name: 'a', pop: 1, d: 1 },
          { code: 'FR', name: 'b', pop: 2, d: 1 },
          { code: 'FR', name: 'B', pop: 3, d: 1 },
        ]),
      );
      await runVaultEntity(f.session, spec, {
        target: { schema: 'vault', name: 'sat_by_name' },
        relationOf: f.relationOf,
      });
      assert.deepEqual(
        await f.rows(
          `SELECT load_seq, pop FROM vault.sat_by_name WHERE hk_country <> '${GHOST}' ORDER BY load_seq`,
        ),
        [
          { load_seq: 0, pop: 3 },
          { load_seq: 1, pop: 1 },
          { load_seq: 2, pop: 2 },
        ],
      );
      await f.close();
    });

    test('sequence: columns order records sharing a load_ts, so a flip-flop within one load_ts is kept', async () => {
      const f = await fixture(engine);
      await f.stage(
        'stg',
        rows([
          { code: 'FR', name: 'A', seq: 3, d: 1 },
          { code: 'FR', name: 'B', seq: 2, d: 1 },
          { code: 'FR', name: 'A', seq: 1, d: 1 },
          { code: 'FR', name: 'A', seq: 1, d: 1 },
        ]),
      );
      const r = await f.load('sat_country_seq');
      assert.deepEqual([r.rowsInserted, r.duplicates], [3, 1]);
      assert.deepEqual(
        (await history(f, 'sat_country_seq')).map((h) => [h.seq, h.name]),
        [
          [0, 'A'],
          [1, 'B'],
          [2, 'A'],
        ],
      );
      await f.close();
    });

    test('re-running adds nothing, even with the high-water marks lost (rows are then late, and already present)', async () => {
      const f = await fixture(engine);
      await f.stage(
        'stg',
        rows([
          { code: 'FR', name: 'A', d: 1 },
          { code: 'DE', name: 'B', d: 2 },
        ]),
      );
      await f.load('sat_country');
      const before = await history(f);
      const again = await f.load('sat_country');
      assert.deepEqual([again.rowsRead, again.rowsInserted], [0, 0]);
      await f.session.execute('DELETE FROM vaultline_meta.vault_load_state');
      const replay = await f.load('sat_country');
      assert.deepEqual([replay.rowsRead, replay.details.late_rows, replay.rowsInserted], [2, 2, 0]);
      assert.deepEqual(await history(f), before);
      await f.close();
    });

    test('insert-only: rows already written never change; the ghost record exists exactly once', async () => {
      const f = await fixture(engine);
      await f.stage('stg', rows([{ code: 'FR', name: 'A', pop: 1, d: 1 }]));
      await f.load('sat_country');
      const first = await f.table('vault.sat_country');
      await f.stage('stg', rows([{ code: 'FR', name: 'B', pop: 1, d: 2 }]));
      await f.load('sat_country');
      await f.load('sat_country');
      const after = await f.table('vault.sat_country');
      for (const row of first) assert.ok(after.some((a) => JSON.stringify(a) === JSON.stringify(row)));
      const ghosts = await f.rows(
        `SELECT hashdiff, load_ts, record_source, name FROM vault.sat_country WHERE hk_country = '${GHOST}'`,
      );
      assert.deepEqual(ghosts, [
        {
          hashdiff: GHOST,
          load_ts: new Date('0001-01-01T00:00:00Z'),
          record_source: 'vaultline.ghost',
          name: null,
        },
      ]);
      await f.close();
    });

    test('--full-refresh rebuilds identical tables', async () => {
      const f = await fixture(engine);
      for (let d = 1; d <= 4; d++) {
        await f.stage(
          'stg',
          rows([
            { code: 'FR', name: d % 2 ? 'A' : 'B', d },
            { code: 'DE', name: 'C', pop: d > 2 ? 1 : null, d },
          ]),
        );
        await f.load('sat_country');
      }
      const incremental = await f.table('vault.sat_country');
      const current = await f.table('vaultline_meta.vault_current__vault__sat_country');
      const rebuilt = await f.load('sat_country', { fullRefresh: true });
      assert.equal(rebuilt.fullRefresh, true);
      assert.deepEqual(await f.table('vault.sat_country'), incremental);
      assert.deepEqual(await f.table('vaultline_meta.vault_current__vault__sat_country'), current);
      await f.close();
    });

    test('schema drift: an attribute appended later does not make existing keys look changed', async () => {
      const f = await fixture(engine);
      await f.stage(
        'stg',
        rows([
          { code: 'FR', name: 'France', d: 1 },
          { code: 'DE', name: 'Germany', d: 1 },
        ]),
      );
      const narrow = specsFromYaml(`
vault:
  hubs: [{ name: hub_country, business_key: [code], sources: [stg] }]
  satellites: [{ name: sat_drift, parent: hub_country, source: stg, attributes: [name] }]
`).get('sat_drift')!;
      const wide = specsFromYaml(`
vault:
  hubs: [{ name: hub_country, business_key: [code], sources: [stg] }]
  satellites: [{ name: sat_drift, parent: hub_country, source: stg, attributes: [name, pop] }]
`).get('sat_drift')!;
      const options = { target: { schema: 'vault', name: 'sat_drift' }, relationOf: f.relationOf };
      assert.equal((await runVaultEntity(f.session, narrow, options)).rowsInserted, 2);
      await f.stage(
        'stg',
        rows([
          { code: 'FR', name: 'France', pop: null, d: 2 },
          { code: 'DE', name: 'Germany', pop: 83, d: 2 },
        ]),
      );
      const r = await runVaultEntity(f.session, wide, options);
      assert.deepEqual(
        [r.unchanged, r.rowsInserted],
        [1, 1],
        'only the key whose new attribute has a value changed',
      );
      const got = await f.rows(
        `SELECT CAST(EXTRACT(DAY FROM load_ts) AS INTEGER) AS d, name, pop FROM vault.sat_drift WHERE hk_country <> '${GHOST}' ORDER BY load_ts, name`,
      );
      assert.deepEqual(got, [
        { d: 1, name: 'France', pop: null },
        { d: 1, name: 'Germany', pop: null },
        { d: 2, name: 'Germany', pop: 83 },
      ]);
      await f.close();
    });

    test('errors name the entity and say how to fix: missing column, missing staging, rows without load_ts', async () => {
      const f = await fixture(engine);
      await f.session.execute('ALTER TABLE staging.stg RENAME COLUMN pop TO population');
      await assert.rejects(
        f.load('sat_country'),
        /sat_country: staging relation stg has no column pop \(it has: code, name, population, seq, load_ts, record_source\)/,
      );
      await f.session.execute('ALTER TABLE staging.stg RENAME COLUMN population TO pops');
      await assert.rejects(f.load('sat_country'), /has no column pop \(did you mean "pops"\?\)/);
      await f.session.execute('ALTER TABLE staging.stg RENAME COLUMN pops TO pop');
      await assert.rejects(
        f.load('sat_country', { relationOf: () => ({ schema: 'staging', name: 'nope' }) }),
        /staging relation stg \(staging.nope\) does not exist; build it first/,
      );
      await f.session.execute(`ALTER TABLE staging.stg ADD COLUMN tags ${f.session.dialect.types.text}[]`);
      // The message names the type as the engine's catalog spells it (DuckDB VARCHAR[], PostgreSQL text[]).
      const tagsType = (await f.catalog.columns(f.session, 'staging', 'stg')).find(
        (c) => c.name === 'tags',
      )?.dataType;
      assert.ok(tagsType?.endsWith('[]'), `a list type: ${tagsType}`);
      const listy = specsFromYaml(
        'vault:\n  hubs: [{ name: hub_country, business_key: [code], sources: [stg] }]\n' +
          '  satellites: [{ name: sat_tags, parent: hub_country, source: stg, attributes: [tags] }]\n',
      ).get('sat_tags')!;
      await assert.rejects(
        runVaultEntity(f.session, listy, {
          target: { schema: 'vault', name: 'sat_tags' },
          relationOf: f.relationOf,
        }),
        new RegExp(
          `sat_tags: stg.tags: type ${escapeRegExp(String(tagsType))} has no canonical text for hashing; cast the column in the staging model`,
        ),
      );
      await f.stage('stg', [{ code: 'FR', name: 'A', load_ts: null, record_source: 's' }]);
      await assert.rejects(
        f.load('sat_country'),
        /sat_country: 1 row\(s\) of stg have no load_ts; .*fix the staging model \(nothing was loaded\)/,
      );
      assert.deepEqual(
        await f.rows(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'sat_country'`),
        [{ n: 0n }],
      );
      await f.close();
    });

    test('a JSON attribute is hashed and ordered by its text (PostgreSQL json has no ordering)', async () => {
      const f = await fixture(engine);
      await f.session.execute(`ALTER TABLE staging.stg ADD COLUMN doc ${f.session.dialect.jsonType}`);
      const spec = specsFromYaml(`
vault:
  hubs: [{ name: hub_country, business_key: [code], sources: [stg] }]
  satellites: [{ name: sat_doc, parent: hub_country, source: stg, attributes: [doc] }]
`).get('sat_doc')!;
      // Two records at one load_ts: the load orders them (hashdiff, then the attributes).
      await f.stage(
        'stg',
        ['{"b": 2}', '{"a": 1}'].map((doc) => ({ ...rows([{ code: 'FR', name: null, d: 1 }])[0], doc })),
      );
      const r = await runVaultEntity(f.session, spec, {
        target: { schema: 'vault', name: 'sat_doc' },
        relationOf: f.relationOf,
      });
      assert.equal(r.rowsInserted, 2);
      const got = await f.rows<{ hashdiff: string; doc: string }>(
        `SELECT hashdiff, CAST(doc AS ${f.session.dialect.types.text}) AS doc FROM vault.sat_doc WHERE hk_country <> '${GHOST}' ORDER BY load_seq`,
      );
      assert.deepEqual(
        got,
        ['{"b": 2}', '{"a": 1}']
          .map((doc) => ({ hashdiff: sha256(doc), doc }))
          .sort((a, b) => cmp(a.hashdiff, b.hashdiff)),
      );
      await f.close();
    });

    test('two satellites whose names share a long prefix keep a current state each (PostgreSQL cuts names at 63 bytes)', async () => {
      const f = await fixture(engine);
      await f.staging('stg_other', {
        code: 'text',
        pop: 'double',
        load_ts: 'timestamp',
        record_source: 'text',
      });
      // `vault_current__vault__<name>` is over 63 bytes: cut there, both would be one table.
      const name = (tag: string) => `sat_country_details_as_reported_by_the_source_${tag}`;
      const specs = specsFromYaml(`
vault:
  hubs: [{ name: hub_country, business_key: [code], sources: [stg] }]
  satellites:
    - { name: ${name('a')}, parent: hub_country, source: stg, attributes: [name] }
    - { name: ${name('b')}, parent: hub_country, source: stg_other, attributes: [pop] }
`);
      const load = (tag: string) =>
        runVaultEntity(f.session, specs.get(name(tag))!, {
          target: { schema: 'vault', name: name(tag) },
          relationOf: f.relationOf,
        });
      await f.stage('stg', rows([{ code: 'FR', name: 'A', d: 1 }]));
      await f.stage('stg_other', [{ code: 'FR', pop: 1, load_ts: day(1), record_source: 'src' }]);
      assert.equal((await load('a')).rowsInserted, 1);
      assert.equal((await load('b')).rowsInserted, 1);
      // The same record again for a: unchanged, compared with a's own state (not b's).
      await f.stage('stg', rows([{ code: 'FR', name: 'A', d: 2 }]));
      const again = await load('a');
      assert.deepEqual([again.rowsInserted, again.unchanged], [0, 1]);
      await f.close();
    });

    test('an engine without compact digests keeps text keys in the current state, with the same results', async () => {
      const f = await fixture(engine);
      const { digestToIntegers: _compact, ...textOnly } = f.session.dialect;
      const session = Object.create(f.session, { dialect: { value: textOnly } }) as typeof f.session;
      const spec = f.specs.get('sat_country')!;
      const options = { target: { schema: 'vault', name: 'sat_country' }, relationOf: f.relationOf };
      await f.stage(
        'stg',
        rows([
          { code: 'FR', name: 'A', d: 1 },
          { code: 'FR', name: 'B', d: 2 },
        ]),
      );
      assert.equal((await runVaultEntity(session, spec, options)).rowsInserted, 2);
      await f.stage(
        'stg',
        rows([
          { code: 'FR', name: 'B', d: 3 },
          { code: 'FR', name: 'A', d: 4 },
        ]),
      );
      assert.equal((await runVaultEntity(session, spec, options)).rowsInserted, 1);
      const [current] = await f.rows(`SELECT * FROM vaultline_meta.vault_current__vault__sat_country`);
      assert.deepEqual(Object.keys(current ?? {}), ['hk', 'load_ts', 'hashdiff']);
      assert.deepEqual(
        (await history(f)).map((h) => [h.d, h.name]),
        [
          [1, 'A'],
          [2, 'B'],
          [4, 'A'],
        ],
      );
      await f.close();
    });

    test('cost follows new data: an incremental load reads only new staging rows and never the satellite history', async () => {
      const f = await fixture(engine);
      await f.stage('stg', rows(Array.from({ length: 50 }, (_, i) => ({ code: `K${i}`, name: 'A', d: 1 }))));
      await f.load('sat_country');
      await f.stage('stg', rows([{ code: 'K1', name: 'B', d: 2 }]));
      const r = await f.load('sat_country');
      assert.deepEqual([r.rowsRead, r.rowsInserted], [1, 1]);
      const readsOfHistory = r.statements.filter(
        (s) =>
          s.includes('"vault"."sat_country"') &&
          !/^(-- .*\n)?(INSERT INTO|CREATE TABLE|ALTER TABLE|CREATE SCHEMA)/m.test(
            s.split('\n').slice(1).join('\n'),
          ),
      );
      assert.deepEqual(readsOfHistory, [], 'no statement reads the satellite table');
      // Above the mark of the first batch (day 1). PostgreSQL's catalog spells the column's type
      // `timestamp without time zone`, so the load casts it to `timestamp` — a cast its parser
      // removes (same type) — and its text of the mark has six fractional zeros.
      const boundary =
        engine.name === 'duckdb'
          ? `WHERE s."load_ts" > TIMESTAMP '2024-01-01 00:00:00'`
          : `WHERE CAST(s."load_ts" AS timestamp) > TIMESTAMP '2024-01-01 00:00:00.000000'`;
      assert.ok(r.statements.some((s) => s.includes(boundary)));
      await f.close();
    });
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

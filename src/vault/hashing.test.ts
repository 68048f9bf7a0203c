import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { testEngines } from '../../test/helpers/engines.ts';
import type { Session } from '../engine/dialect.ts';
import { UnsupportedHashAlgorithmError } from '../engine/hashing-errors.ts';
import { VaultHashingMismatchError } from './errors.ts';
import {
  DEFAULT_HASHING,
  type HashColumn,
  type HashingStandard,
  hashDiffSql,
  hashingFingerprint,
  hashKeySql,
} from './hashing.ts';
import { runVaultEntity } from './run.ts';
import { loadVaultSpecs } from './spec/load.ts';
import { day, openVaultFixture } from './test-support.ts';

const digest = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex');

for (const engine of testEngines()) {
  describe(`${engine.name}: hash keys and hashdiffs follow DESIGN.md`, () => {
    let session: Session;
    let drop: () => Promise<void>;
    /** Each column as the hashing code sees it: its expression and the type the engine's catalog reports. */
    let typed: (name: string) => HashColumn;
    before(async () => {
      const warehouse = await engine.create();
      drop = () => warehouse.drop();
      session = await warehouse.open();
      const { types } = session.dialect;
      // A session time zone away from UTC: timestamptz renders in UTC whatever it is.
      await session.execute(`SET TimeZone = 'Europe/Paris'`);
      await session.execute(`CREATE TABLE t AS SELECT CAST(' fr ' AS ${types.text}) AS code,
      CAST(1.0 AS ${types.double}) AS n, DATE '2024-01-02' AS d,
      CAST('2024-01-02 04:04:05+01' AS TIMESTAMP WITH TIME ZONE) AS ts, true AS b,
      CAST(NULL AS ${types.text}) AS z, CAST('Mixed' AS ${types.text}) AS m,
      CAST(12.50 AS DECIMAL(10,2)) AS amount`);
      const columns = await engine.engine.catalog.columns(session, session.dialect.defaultSchema, 't');
      const typeOf = new Map(columns.map((c) => [c.name, c.dataType]));
      typed = (name) => ({ name, expression: `t.${name}`, type: typeOf.get(name) ?? assert.fail(name) });
    });
    after(async () => {
      await session?.close();
      await drop?.();
    });
    const COLUMNS = () => ['code', 'n', 'd', 'ts', 'b', 'amount'].map((c) => typed(c));

    async function value(sql: string): Promise<unknown> {
      const [row] = await session.query<{ v: unknown }>(`SELECT ${sql} AS v FROM t`);
      return row?.v;
    }

    test('hash key: upper(trim(text(x))) per type, joined with ||, SHA-256 hex', async () => {
      assert.equal(
        await value(hashKeySql([COLUMNS()], DEFAULT_HASHING, session.dialect)),
        digest('sha256', 'FR||1||2024-01-02||2024-01-02T03:04:05.000000Z||TRUE||12.5'),
      );
    });

    test('hashdiff: case kept, trailing null tokens dropped, inner ones kept', async () => {
      const cols = [typed('m'), typed('z'), typed('b'), typed('z'), typed('z')];
      assert.equal(
        await value(hashDiffSql(cols, DEFAULT_HASHING, session.dialect)),
        digest('sha256', 'Mixed||^^||true'),
      );
      assert.equal(
        await value(hashDiffSql([typed('z')], DEFAULT_HASHING, session.dialect)),
        digest('sha256', '^^'),
      );
    });

    test('a key is NULL only when every column of a group is null or empty', async () => {
      const z = typed('z');
      assert.equal(
        await value(hashKeySql([[z, typed('code')]], DEFAULT_HASHING, session.dialect)),
        digest('sha256', '^^||FR'),
      );
      assert.equal(await value(hashKeySql([[typed('code')], [z]], DEFAULT_HASHING, session.dialect)), null);
    });

    test('overrides: algorithm, case, delimiter and null token', async () => {
      const standard: HashingStandard = {
        algorithm: 'md5',
        case: 'preserve',
        delimiter: '#',
        nullToken: '<n>',
      };
      const cols = [typed('m'), typed('z'), typed('code'), typed('z')];
      assert.equal(
        await value(hashKeySql([cols], standard, session.dialect)),
        digest('md5', 'Mixed#<n>#fr#<n>'),
      );
      assert.equal(await value(hashDiffSql(cols, standard, session.dialect)), digest('md5', 'Mixed#<n>#fr'));
      const sha1 = () =>
        hashKeySql([[typed('m')]], { ...DEFAULT_HASHING, algorithm: 'sha1' }, session.dialect);
      if (engine.name === 'postgres') {
        // PostgreSQL's core has no SHA-1 function: the load is refused while planning, saying what to do.
        assert.throws(sha1, UnsupportedHashAlgorithmError);
      } else {
        assert.equal(await value(sha1()), digest('sha1', 'MIXED'));
      }
    });

    test('the fingerprint changes with every setting and with user macros', () => {
      const base = hashingFingerprint(DEFAULT_HASHING);
      const variants = [
        hashingFingerprint({ ...DEFAULT_HASHING, algorithm: 'md5' }),
        hashingFingerprint({ ...DEFAULT_HASHING, case: 'preserve' }),
        hashingFingerprint({ ...DEFAULT_HASHING, delimiter: '|' }),
        hashingFingerprint({ ...DEFAULT_HASHING, nullToken: '' }),
        hashingFingerprint(DEFAULT_HASHING, {
          hashKey: (c) => `md5(${c.map((x) => x.expression).join('||')})`,
        }),
      ];
      assert.equal(new Set([base, ...variants]).size, 6);
    });
  });

  describe(`${engine.name}: the hashing standard is recorded in the warehouse`, () => {
    const YAML = `
vault:
  hubs: [{ name: hub_a, business_key: [a], sources: [stg] }]
  satellites: [{ name: sat_a, parent: hub_a, source: stg, attributes: [x] }]
`;

    test('a load under another standard is refused; --full-refresh rebuilds and records the new one', async () => {
      const f = await openVaultFixture(YAML, { engine });
      await f.staging('stg', { a: 'text', x: 'text', load_ts: 'timestamp', record_source: 'text' });
      await f.stage('stg', [{ a: 'k', x: 'v', load_ts: day(1), record_source: 's' }]);
      await f.load('hub_a');
      await f.load('sat_a');
      const md5 = loadVaultSpecs({
        config: { file: 'vaultline.yml', text: 'name: p\nvault:\n  hashing: { algorithm: md5 }\n' },
        files: [{ file: 'models/vault.yml', text: YAML }],
      });
      assert.deepEqual(md5.diagnostics, []);
      const hub = md5.entities.find((e) => e.name === 'hub_a')!;
      const sat = md5.entities.find((e) => e.name === 'sat_a')!;
      const options = (name: string) => ({ target: { schema: 'vault', name }, relationOf: f.relationOf });

      await assert.rejects(runVaultEntity(f.session, hub, options('hub_a')), (error: unknown) => {
        assert.ok(error instanceof VaultHashingMismatchError);
        assert.match(
          error.message,
          /hub_a was built with hashing standard .*"sha256".*now uses .*"md5".* Changed: algorithm\.\nhint: rebuild it with --full-refresh .* vault\.hashing settings in vaultline\.yml$/,
        );
        return true;
      });
      const before = await f.rows('SELECT * FROM vault.hub_a');
      assert.equal(
        (before[0] as { hk_a: string }).hk_a,
        digest('sha256', 'K'),
        'the refused load changed nothing',
      );

      await runVaultEntity(f.session, hub, { ...options('hub_a'), fullRefresh: true });
      await runVaultEntity(f.session, sat, { ...options('sat_a'), fullRefresh: true });
      assert.deepEqual(await f.rows('SELECT hk_a FROM vault.hub_a'), [{ hk_a: digest('md5', 'K') }]);
      assert.deepEqual(await f.rows('SELECT hk_a FROM vault.sat_a ORDER BY load_ts'), [
        { hk_a: '0'.repeat(32) },
        { hk_a: digest('md5', 'K') },
      ]);
      const recorded = await f.rows<{ entity: string; fingerprint: string }>(
        'SELECT entity, fingerprint FROM vaultline_meta.vault_hashing ORDER BY entity',
      );
      assert.deepEqual(
        recorded.map((r) => [r.entity, JSON.parse(r.fingerprint).algorithm]),
        [
          ['vault.hub_a', 'md5'],
          ['vault.sat_a', 'md5'],
        ],
      );
      await f.stage('stg', [{ a: 'k2', x: 'v', load_ts: day(2), record_source: 's' }]);
      assert.equal(
        (await runVaultEntity(f.session, hub, options('hub_a'))).rowsInserted,
        1,
        'same standard: loads',
      );
      await f.close();
    });

    test("the project's own hash_key / hash_diff macros are used and fingerprinted", async () => {
      const macros = {
        hashKey: (cols: HashColumn[]) =>
          `md5(lower(concat_ws('~', ${cols.map((c) => `CAST(${c.expression} AS VARCHAR)`).join(', ')})))`,
        hashDiff: (cols: HashColumn[]) =>
          `md5(concat_ws('~', ${cols.map((c) => `coalesce(CAST(${c.expression} AS VARCHAR), '')`).join(', ')}))`,
      };
      const f = await openVaultFixture(YAML, { macros, engine });
      await f.staging('stg', { a: 'text', x: 'text', load_ts: 'timestamp', record_source: 'text' });
      await f.stage('stg', [
        { a: 'K', x: 'v', load_ts: day(1), record_source: 's' },
        { a: null, x: 'v', load_ts: day(1), record_source: 's' },
      ]);
      const r = await f.load('sat_a');
      assert.equal(r.skippedNullKeys, 1, 'null keys are still skipped');
      assert.deepEqual(await f.rows(`SELECT hk_a, hashdiff FROM vault.sat_a WHERE record_source = 's'`), [
        { hk_a: digest('md5', 'k'), hashdiff: digest('md5', 'v') },
      ]);
      await assert.rejects(f.load('sat_a', { macros: {} }), (error: unknown) => {
        assert.ok(error instanceof VaultHashingMismatchError);
        assert.match(
          error.message,
          /Changed: hash_key_macro, hash_diff_macro\.\nhint: .*hash_key \/ hash_diff macros/,
        );
        return true;
      });
      await f.close();
    });
  });
}

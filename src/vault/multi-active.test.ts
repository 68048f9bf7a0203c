import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type TestEngine, testEngines } from '../../test/helpers/engines.ts';
import { day, openVaultFixture, type VaultFixture } from './test-support.ts';

const GHOST = '0'.repeat(64);
const YAML = `
vault:
  hubs:
    - name: hub_customer
      business_key: [customer_id]
      sources: [stg_phones]
  satellites:
    - name: sat_phones
      parent: hub_customer
      source: stg_phones
      child_key: [phone_type]
      attributes: [phone]
`;

async function fixture(engine: TestEngine) {
  const f = await openVaultFixture(YAML, { engine });
  await f.staging('stg_phones', {
    customer_id: 'integer',
    phone_type: 'text',
    phone: 'text',
    load_ts: 'timestamp',
    record_source: 'text',
  });
  return f;
}

const phones = (d: number, set: Record<string, string>, customer = 1) =>
  Object.entries(set).map(([phone_type, phone]) => ({
    customer_id: customer,
    phone_type,
    phone,
    load_ts: day(d),
    record_source: 'crm',
  }));

async function sets(f: VaultFixture) {
  const rows = await f.rows<{ d: number; phone_type: string; phone: string }>(
    `SELECT CAST(EXTRACT(DAY FROM load_ts) AS INTEGER) AS d, phone_type, phone FROM vault.sat_phones
     WHERE hk_customer <> '${GHOST}' ORDER BY load_ts, phone_type`,
  );
  const out: Record<number, Record<string, string>> = {};
  for (const r of rows) out[r.d] = { ...(out[r.d] ?? {}), [r.phone_type]: r.phone };
  return out;
}

for (const engine of testEngines()) {
  describe(`${engine.name}: multi-active satellite`, () => {
    test('a set that grows, shrinks or changes inserts the whole new set; an unchanged set adds nothing', async () => {
      const f = await fixture(engine);
      const steps: [number, Record<string, string>, number][] = [
        [1, { home: '111', work: '222' }, 2],
        [2, { work: '222', home: '111' }, 0], // same set, other order
        [3, { home: '111', work: '222', mobile: '333' }, 3], // grows
        [4, { home: '111' }, 1], // shrinks
        [5, { home: '999' }, 1], // changes
        [6, { home: '999' }, 0],
      ];
      for (const [d, set, inserted] of steps) {
        await f.stage('stg_phones', phones(d, set));
        const r = await f.load('sat_phones');
        assert.equal(r.rowsInserted, inserted, `day ${d}`);
        assert.equal(
          r.rowsRead,
          r.skippedNullKeys + r.skippedLateRows + r.duplicates + r.unchanged + r.rowsInserted,
        );
      }
      assert.deepEqual(await sets(f), {
        1: { home: '111', work: '222' },
        3: { home: '111', mobile: '333', work: '222' },
        4: { home: '111' },
        5: { home: '999' },
      });
      await f.close();
    });

    test('the same history in one batch gives the same rows; duplicates within a set collapse', async () => {
      const f = await fixture(engine);
      await f.stage('stg_phones', [
        ...phones(1, { home: '111', work: '222' }),
        ...phones(1, { home: '111' }),
        ...phones(2, { work: '222', home: '111' }),
        ...phones(3, { home: '111' }),
        ...phones(4, { home: '111', work: '222' }),
      ]);
      const r = await f.load('sat_phones');
      assert.deepEqual([r.rowsInserted, r.duplicates, r.unchanged, r.details.sets_inserted], [5, 1, 2, 3]);
      assert.deepEqual(await sets(f), {
        1: { home: '111', work: '222' },
        3: { home: '111' },
        4: { home: '111', work: '222' },
      });
      const again = await f.load('sat_phones');
      assert.equal(again.rowsInserted, 0);
      await f.close();
    });

    test('keys are independent; the ghost record exists once', async () => {
      const f = await fixture(engine);
      await f.stage('stg_phones', [...phones(1, { home: 'a' }, 1), ...phones(1, { home: 'b' }, 2)]);
      await f.load('sat_phones');
      await f.stage('stg_phones', [...phones(2, { home: 'a' }, 1), ...phones(2, { home: 'c' }, 2)]);
      const r = await f.load('sat_phones');
      assert.deepEqual([r.rowsInserted, r.unchanged], [1, 1]);
      const [ghost] = await f.rows<{ n: bigint }>(
        `SELECT count(*) AS n FROM vault.sat_phones WHERE hk_customer = '${GHOST}'`,
      );
      assert.equal(ghost?.n, 1n);
      await f.close();
    });
  });
}

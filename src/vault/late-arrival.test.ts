/**
 * Payloads committed out of order (a slow upload, overlapping extracts, clock skew): the vault reads
 * every landed object exactly once by its landing key, whatever its load_ts; a late version is
 * inserted at its own load_ts; and loading batch by batch in any arrival order gives the same hub,
 * link and satellite as --full-refresh, with the version in effect at any time being the one the
 * staging history says.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type TestEngine, testEngines } from '../../test/helpers/engines.ts';
import { day, openVaultFixture, type VaultFixture } from './test-support.ts';

const YAML = `
vault:
  hubs:
    - { name: hub_a, business_key: [a], sources: [stg] }
    - { name: hub_b, business_key: [b], sources: [stg] }
  links:
    - { name: link_ab, hubs: [hub_a, hub_b], sources: [stg] }
  satellites:
    - { name: sat_a, parent: hub_a, source: stg, attributes: [x] }
    - { name: sat_a_seq, parent: hub_a, source: stg, attributes: [x], sequence: [seq] }
`;
const ENTITIES = ['hub_a', 'hub_b', 'link_ab', 'sat_a', 'sat_a_seq'];

async function fixture(engine: TestEngine): Promise<VaultFixture> {
  const f = await openVaultFixture(YAML, { engine });
  await f.staging('stg', {
    a: 'text',
    b: 'text',
    x: 'text',
    seq: 'integer',
    _landing_key: 'text',
    load_ts: 'timestamp',
    record_source: 'text',
  });
  return f;
}

interface Payload {
  key: string;
  loadTs: Date;
  rows: { a: string; b: string; x: string | null; seq: number }[];
}

function stage(f: VaultFixture, p: Payload) {
  return f.stage(
    'stg',
    p.rows.map((r) => ({ ...r, _landing_key: p.key, load_ts: p.loadTs, record_source: p.key })),
  );
}

async function tables(f: VaultFixture): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const e of ENTITIES) out[e] = await f.table(`vault.${e}`);
  return out;
}

/** x of the satellite row in effect for key `a` at `t` (newest load_ts ≤ t, then load_seq). */
async function inEffect(f: VaultFixture, a: string, t: Date): Promise<unknown> {
  const rows = await f.rows<{ x: unknown }>(
    `SELECT s.x FROM vault.sat_a s JOIN vault.hub_a h USING (hk_a) WHERE h.a = '${a}' ` +
      `AND s.load_ts <= TIMESTAMP '${t.toISOString().slice(0, 19).replace('T', ' ')}' ORDER BY s.load_ts DESC, s.load_seq DESC LIMIT 1`,
  );
  return rows.length === 0 ? 'none' : rows[0]!.x;
}

for (const engine of testEngines()) {
  describe(`${engine.name}: late payloads`, () => {
    test('an older-load_ts payload committed after a newer one reaches hub, link and satellite', async () => {
      const f = await fixture(engine);
      try {
        await stage(f, { key: 'p/2', loadTs: day(2), rows: [{ a: 'k1', b: 'q', x: 'new', seq: 0 }] });
        for (const e of ENTITIES) await f.load(e);
        // Extracted first (load_ts day 1) but committed last, with a key of its own.
        await stage(f, {
          key: 'p/1',
          loadTs: day(1),
          rows: [
            { a: 'k1', b: 'q', x: 'old', seq: 0 },
            { a: 'k9', b: 'p', x: 'only-late', seq: 0 },
          ],
        });
        const sat = await f.load('sat_a');
        assert.deepEqual(
          [sat.rowsRead, sat.rowsInserted, sat.details.late_rows, sat.unchanged, sat.duplicates],
          [2, 2, 1, 0, 0],
        );
        const hub = await f.load('hub_a');
        assert.deepEqual([hub.rowsRead, hub.rowsInserted], [2, 1]);
        for (const e of ['hub_b', 'link_ab', 'sat_a_seq']) await f.load(e);
        assert.deepEqual(await f.rows(`SELECT a FROM vault.hub_a ORDER BY a`), [{ a: 'k1' }, { a: 'k9' }]);
        assert.equal((await f.rows('SELECT * FROM vault.link_ab')).length, 2);
        // Both versions of k1, each at its own load_ts: the PIT for day 1 sees the late one.
        assert.deepEqual(
          await f.rows(
            `SELECT x, load_ts FROM vault.sat_a WHERE record_source <> 'vaultline.ghost' ORDER BY load_ts, x`,
          ),
          [
            { x: 'old', load_ts: day(1) },
            { x: 'only-late', load_ts: day(1) },
            { x: 'new', load_ts: day(2) },
          ],
        );
        assert.equal(await inEffect(f, 'k1', day(1, 12)), 'old');
        assert.equal(await inEffect(f, 'k1', day(2, 12)), 'new');
        // Loading again reads nothing: each object is read once.
        assert.equal((await f.load('sat_a')).rowsRead, 0);
        const before = await tables(f);
        for (const e of ENTITIES) await f.load(e, { fullRefresh: true });
        assert.deepEqual(await tables(f), before);
      } finally {
        await f.close();
      }
    });

    test('a late version makes the unchanged record after it a change: it is reinstated', async () => {
      const f = await fixture(engine);
      try {
        await stage(f, { key: 'p/1', loadTs: day(1), rows: [{ a: 'k1', b: 'q', x: 'X', seq: 0 }] });
        await f.load('sat_a');
        await stage(f, { key: 'p/3', loadTs: day(3), rows: [{ a: 'k1', b: 'q', x: 'X', seq: 0 }] });
        assert.equal((await f.load('sat_a')).unchanged, 1);
        await stage(f, { key: 'p/2', loadTs: day(2), rows: [{ a: 'k1', b: 'q', x: 'Y', seq: 0 }] });
        const late = await f.load('sat_a');
        assert.deepEqual([late.rowsInserted, late.details.reinstated, late.details.late_rows], [2, 1, 1]);
        for (const e of ENTITIES.filter((e) => e !== 'sat_a')) await f.load(e);
        assert.equal(await inEffect(f, 'k1', day(1, 12)), 'X');
        assert.equal(await inEffect(f, 'k1', day(2, 12)), 'Y');
        assert.equal(await inEffect(f, 'k1', day(3, 12)), 'X');
        const before = await tables(f);
        for (const e of ENTITIES) await f.load(e, { fullRefresh: true });
        assert.deepEqual(await tables(f), before);
      } finally {
        await f.close();
      }
    });

    const payloads = fc
      .array(
        fc.array(
          fc.record({
            a: fc.constantFrom('k1', 'k2'),
            b: fc.constantFrom('p', 'q'),
            x: fc.constantFrom('A', 'B', null),
            seq: fc.integer({ min: 0, max: 1 }),
          }),
          { minLength: 0, maxLength: 3 },
        ),
        { minLength: 1, maxLength: 8 },
      )
      .chain((bodies) =>
        fc.record({
          bodies: fc.constant(bodies),
          arrival: fc.shuffledSubarray(
            bodies.map((_, i) => i),
            { minLength: bodies.length, maxLength: bodies.length },
          ),
          cuts: fc.array(fc.boolean(), { minLength: bodies.length, maxLength: bodies.length }),
        }),
      );

    test('property: any arrival order and batching gives the --full-refresh tables and the true version in effect', async () => {
      await fc.assert(
        fc.asyncProperty(payloads, async ({ bodies, arrival, cuts }) => {
          // One landing per payload, load_ts = its index in days (one load_ts is one landing); one
          // row per key and payload for sat_a's truth, so the record in effect is unambiguous.
          const all: Payload[] = bodies.map((rows, i) => ({
            key: `p/${i}`,
            loadTs: day(1 + i),
            rows: rows.filter((r, j) => rows.findIndex((o) => o.a === r.a) === j),
          }));
          const f = await fixture(engine);
          try {
            for (const [n, i] of arrival.entries()) {
              await stage(f, all[i]!);
              if (cuts[n] || n === arrival.length - 1) for (const e of ENTITIES) await f.load(e);
            }
            for (const a of ['k1', 'k2']) {
              for (const [i] of all.entries()) {
                const truth = [...all.slice(0, i + 1)].reverse().find((p) => p.rows.some((r) => r.a === a));
                const expected = truth ? truth.rows.find((r) => r.a === a)!.x : 'none';
                assert.equal(await inEffect(f, a, day(1 + i, 12)), expected, `${a} at day ${1 + i}`);
              }
            }
            const incremental = await tables(f);
            for (const e of ENTITIES) await f.load(e, { fullRefresh: true });
            assert.deepEqual(await tables(f), incremental);
          } finally {
            await f.close();
          }
        }),
        { numRuns: Number(process.env.VAULT_PROPERTY_RUNS ?? 15) },
      );
    });
  });
}

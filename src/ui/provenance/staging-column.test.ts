import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sourceColumnOf } from './staging-column.ts';

const SQL = `-- a comment naming mag as magnitude
select
    {{ clean_key("id") }} as earthquake_id,
    {{ clean_key("lower(code)") }} as launch_id,
    cast(mag as double) as magnitude,
    longitude,
    coalesce(a, b) as both_of_them,
    {{ landing_columns() }}
from {{ source('usgs', 'earthquakes') }}`;

test('a staging column is traced to the one source column its expression names', () => {
  const columns = ['id', 'code', 'mag', 'longitude', 'a', 'b'];
  assert.deepEqual(sourceColumnOf(SQL, 'earthquake_id', columns), { column: 'id' });
  assert.deepEqual(sourceColumnOf(SQL, 'launch_id', columns), { column: 'code' });
  assert.deepEqual(sourceColumnOf(SQL, 'magnitude', columns), { column: 'mag' });
  assert.deepEqual(sourceColumnOf(SQL, 'longitude', columns), { column: 'longitude' });
});

test('an expression naming several source columns, or none, is a reason, never a guess', () => {
  const both = sourceColumnOf(SQL, 'both_of_them', ['a', 'b']);
  assert.ok('reason' in both);
  assert.match(both.reason, /several source columns: a, b/);
  const none = sourceColumnOf(SQL, 'nowhere', ['id']);
  assert.ok('reason' in none);
  assert.match(none.reason, /no "as nowhere"/);
});

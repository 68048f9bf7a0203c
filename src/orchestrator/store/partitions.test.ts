import assert from 'node:assert/strict';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempStores } from './test-support.ts';

const made = tempStores();
after(() => made.cleanup());

test('partitions: markDone merges into ranges on disk; missing lists the rest in order; jobs are separate', () => {
  const { partitions, dir } = made;
  assert.deepEqual(partitions.done('daily'), []);
  assert.deepEqual(partitions.missing('daily', '2025-01-01', '2025-01-03'), [
    '2025-01-01',
    '2025-01-02',
    '2025-01-03',
  ]);
  for (const day of ['2025-01-03', '2025-01-01', '2025-01-05', '2025-01-02'])
    partitions.markDone('daily', day);
  assert.deepEqual(partitions.done('daily'), [
    ['2025-01-01', '2025-01-03'],
    ['2025-01-05', '2025-01-05'],
  ]);
  assert.equal(
    readFileSync(join(dir, 'partitions', 'daily.json'), 'utf8'),
    '[["2025-01-01","2025-01-03"],["2025-01-05","2025-01-05"]]\n',
  );
  assert.deepEqual(partitions.missing('daily', '2024-12-31', '2025-01-06'), [
    '2024-12-31',
    '2025-01-04',
    '2025-01-06',
  ]);
  assert.deepEqual(partitions.missing('daily', '2025-01-06', '2025-01-01'), [], 'from after to: nothing');
  partitions.markDone('daily', '2025-01-04');
  assert.deepEqual(partitions.done('daily'), [['2025-01-01', '2025-01-05']]);
  assert.deepEqual(partitions.done('other'), []);
});

test('partitions: bad names and days are refused; a corrupt file names itself and the fix; no symlinks', () => {
  const { partitions, dir } = made;
  assert.throws(() => partitions.markDone('../escape', '2025-01-01'), /job name "..\/escape" is not valid/);
  assert.throws(() => partitions.markDone('daily', '2025-02-30'), /partition day "2025-02-30" is not valid/);
  writeFileSync(join(dir, 'partitions', 'broken.json'), '{"not": "ranges"}');
  assert.throws(
    () => partitions.done('broken'),
    (error: Error) => {
      assert.match(error.message, /partitions\/broken\.json cannot be read \(not a list of/);
      assert.match(error.message, /move it aside \(mv .*broken\.json .*broken\.json\.broken\)/);
      return true;
    },
  );
  writeFileSync(join(dir, 'elsewhere.json'), '[]');
  symlinkSync(join(dir, 'elsewhere.json'), join(dir, 'partitions', 'linked.json'));
  assert.throws(() => partitions.done('linked'), /linked\.json is a symlink/);
  assert.throws(() => partitions.markDone('linked', '2025-01-01'), /linked\.json is a symlink/);
  assert.equal(readFileSync(join(dir, 'elsewhere.json'), 'utf8'), '[]');
});

import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { SensorFolderError } from './errors.ts';
import { listFolder, QUIET_MS } from './folder.ts';
import { POLL_TIME, tempProject, writeFileAt } from './test-project.ts';

describe('listFolder', () => {
  let project: ReturnType<typeof tempProject>;
  beforeEach(() => {
    project = tempProject();
  });
  afterEach(() => project.remove());

  test('lists files recursively in path order, project-relative, skipping dotfiles', () => {
    writeFileAt(join(project.dir, 'inbox/b.csv'), 'b');
    writeFileAt(join(project.dir, 'inbox/sub/a.csv'), 'aa');
    writeFileAt(join(project.dir, 'inbox/a.csv'), 'a');
    writeFileAt(join(project.dir, 'inbox/.partial.csv'), 'x');
    writeFileAt(join(project.dir, 'inbox/.git/config'), 'x');
    const { items, symlinks } = listFolder(project.dir, 'inbox', undefined, { now: POLL_TIME });
    assert.deepEqual(
      items.map((item) => [item.path, item.size]),
      [
        ['inbox/a.csv', 1],
        ['inbox/b.csv', 1],
        ['inbox/sub/a.csv', 2],
      ],
    );
    assert.deepEqual(symlinks, []);
    for (const item of items) assert.equal(item.id, `${item.path}|${item.size}|${item.etag}`);
  });

  test('the pattern matches the path below the folder', () => {
    writeFileAt(join(project.dir, 'inbox/a.csv'), 'a');
    writeFileAt(join(project.dir, 'inbox/a.json'), 'a');
    writeFileAt(join(project.dir, 'inbox/sub/b.csv'), 'b');
    const top = listFolder(project.dir, 'inbox', '*.csv', { now: POLL_TIME });
    assert.deepEqual(
      top.items.map((item) => item.path),
      ['inbox/a.csv'],
    );
    const all = listFolder(project.dir, 'inbox', '**/*.csv', { now: POLL_TIME });
    assert.deepEqual(
      all.items.map((item) => item.path),
      ['inbox/a.csv', 'inbox/sub/b.csv'],
    );
  });

  test('a file modified less than 2 s before now waits for a later poll', () => {
    const young = new Date(POLL_TIME.getTime() - QUIET_MS + 1);
    writeFileAt(join(project.dir, 'inbox/new.csv'), 'n', young);
    assert.deepEqual(listFolder(project.dir, 'inbox', undefined, { now: POLL_TIME }).items, []);
    const later = new Date(young.getTime() + QUIET_MS);
    assert.equal(listFolder(project.dir, 'inbox', undefined, { now: later }).items.length, 1);
  });

  test('a rewritten file gets a new etag, so a new id', () => {
    const file = join(project.dir, 'inbox/a.csv');
    writeFileAt(file, 'a');
    const [before] = listFolder(project.dir, 'inbox', undefined, { now: POLL_TIME }).items;
    writeFileAt(file, 'b', new Date(POLL_TIME.getTime() - 10_000));
    const [after] = listFolder(project.dir, 'inbox', undefined, { now: POLL_TIME }).items;
    assert.equal(before?.size, after?.size);
    assert.notEqual(before?.id, after?.id);
  });

  test('symlinks are reported, never followed', () => {
    writeFileAt(join(project.dir, 'elsewhere/secret.csv'), 'secret');
    writeFileAt(join(project.dir, 'inbox/real.csv'), 'r');
    symlinkSync(join(project.dir, 'elsewhere/secret.csv'), join(project.dir, 'inbox/link.csv'));
    symlinkSync(join(project.dir, 'elsewhere'), join(project.dir, 'inbox/linked-dir'));
    const { items, symlinks } = listFolder(project.dir, 'inbox', undefined, { now: POLL_TIME });
    assert.deepEqual(
      items.map((item) => item.path),
      ['inbox/real.csv'],
    );
    assert.deepEqual(symlinks, ['inbox/link.csv', 'inbox/linked-dir']);
  });

  test('a folder outside the project, the project itself, or reached through a link is refused', () => {
    for (const folder of ['../outside', '/etc', '.', 'inbox/../..']) {
      assert.throws(
        () => listFolder(project.dir, folder, undefined, { now: POLL_TIME }),
        (error: unknown) =>
          error instanceof SensorFolderError &&
          /outside the project|project folder itself/.test(error.message),
        folder,
      );
    }
    mkdirSync(join(project.dir, 'real'));
    symlinkSync(join(project.dir, 'real'), join(project.dir, 'linked'));
    assert.throws(
      () => listFolder(project.dir, 'linked', undefined, { now: POLL_TIME }),
      /goes through the symlink linked/,
    );
    assert.throws(
      () => listFolder(project.dir, 'missing/inbox', undefined, { now: POLL_TIME }),
      /does not exist; create missing/,
    );
  });
});

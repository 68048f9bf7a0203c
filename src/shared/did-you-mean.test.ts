import assert from 'node:assert/strict';
import { test } from 'node:test';
import { didYouMean, editDistance } from './did-you-mean.ts';

test('editDistance is the Levenshtein distance', () => {
  assert.equal(editDistance('', ''), 0);
  assert.equal(editDistance('abc', ''), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('landing', 'landing'), 0);
  assert.equal(editDistance('landng', 'landing'), 1);
  assert.equal(editDistance('prefix', 'prefxi'), 2);
});

test('didYouMean finds a close typo', () => {
  const keys = ['name', 'landing', 'warehouse', 'vars', 'connectors', 'model_paths'];
  assert.equal(didYouMean('landng', keys), 'landing');
  assert.equal(didYouMean('warehose', keys), 'warehouse');
  assert.equal(didYouMean('connector', keys), 'connectors');
  assert.equal(didYouMean('model-paths', keys), 'model_paths');
});

test('didYouMean treats a case difference as less than a typo', () => {
  assert.equal(didYouMean('Landing', ['landing', 'lending']), 'landing');
  assert.equal(didYouMean('VARS', ['vars']), 'vars');
});

test('didYouMean stays quiet when nothing is close', () => {
  assert.equal(didYouMean('colour', ['name', 'landing']), undefined);
  assert.equal(didYouMean('x', []), undefined);
  assert.equal(didYouMean('bucket_name', ['type', 'path']), undefined);
});

test('didYouMean allows at most a third of the word to differ', () => {
  // "abcdef" vs "abcxyz": 3 edits on 6 letters is too many; vs "abcdxy": 2 edits is fine.
  assert.equal(didYouMean('abcdef', ['abcxyz']), undefined);
  assert.equal(didYouMean('abcdef', ['abcdxy']), 'abcdxy');
});

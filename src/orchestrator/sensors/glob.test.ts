import assert from 'node:assert/strict';
import { test } from 'node:test';
import { globMatcher } from './glob.ts';

test('* stays within a segment, ** spans segments, ? is one character', () => {
  const csv = globMatcher('*.csv');
  assert.equal(csv('a.csv'), true);
  assert.equal(csv('x/a.csv'), false);
  assert.equal(csv('a.csv.tmp'), false);
  const deep = globMatcher('**/*.csv');
  assert.equal(deep('a.csv'), true);
  assert.equal(deep('x/y/a.csv'), true);
  assert.equal(deep('x/y/a.json'), false);
  const below = globMatcher('exports/**');
  assert.equal(below('exports/a/b.json'), true);
  assert.equal(below('other/a.json'), false);
  const one = globMatcher('day-??.json');
  assert.equal(one('day-01.json'), true);
  assert.equal(one('day-1.json'), false);
  assert.equal(globMatcher('a/**/b.txt')('a/b.txt'), true);
  assert.equal(globMatcher('a/**/b.txt')('a/x/y/b.txt'), true);
});

test('regular-expression characters are literal', () => {
  const m = globMatcher('report (1)+[x].csv');
  assert.equal(m('report (1)+[x].csv'), true);
  assert.equal(m('report 1+x.csv'), false);
  assert.equal(globMatcher('a.b')('aXb'), false);
});

test('no pattern matches everything', () => {
  assert.equal(globMatcher(undefined)('any/thing'), true);
});

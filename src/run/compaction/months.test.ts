import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { closedCutoff, isClosedMonth, monthEnd, monthOfLoadDate, parseDate } from './months.ts';

describe('closed months', () => {
  const at = (iso: string) => new Date(iso);

  test('a month is closed once the current UTC month has begun after it', () => {
    const cutoff = closedCutoff(at('2026-11-15T08:00:00Z'));
    assert.equal(cutoff.toISOString(), '2026-11-01T00:00:00.000Z');
    assert.equal(isClosedMonth('2026-10', cutoff), true);
    assert.equal(isClosedMonth('2025-12', cutoff), true);
    assert.equal(isClosedMonth('2026-11', cutoff), false, 'the current month is open');
    assert.equal(isClosedMonth('2026-12', cutoff), false, 'a future month (clock skew) is open');
  });

  test('the month boundary is UTC, to the millisecond', () => {
    assert.equal(isClosedMonth('2026-10', closedCutoff(at('2026-10-31T23:59:59.999Z'))), false);
    assert.equal(isClosedMonth('2026-10', closedCutoff(at('2026-11-01T00:00:00.000Z'))), true);
    // 2026-11-01T00:30+01:00 is still October in UTC.
    assert.equal(isClosedMonth('2026-10', closedCutoff(at('2026-11-01T00:30:00+01:00'))), false);
  });

  test('--before keeps only months that end on or before that date, never the current month', () => {
    const now = at('2026-11-15T08:00:00Z');
    assert.equal(isClosedMonth('2026-09', closedCutoff(now, '2026-10-01')), true);
    assert.equal(isClosedMonth('2026-10', closedCutoff(now, '2026-10-01')), false);
    assert.equal(
      isClosedMonth('2026-09', closedCutoff(now, '2026-09-30')),
      false,
      'September ends after Sep 30 00:00',
    );
    assert.equal(isClosedMonth('2026-10', closedCutoff(now, '2027-06-01')), true);
    assert.equal(
      isClosedMonth('2026-11', closedCutoff(now, '2027-06-01')),
      false,
      'a later --before cannot open the current month',
    );
  });

  test('year ends and leap years', () => {
    assert.equal(monthEnd('2026-12').toISOString(), '2027-01-01T00:00:00.000Z');
    assert.equal(monthEnd('2028-02').toISOString(), '2028-03-01T00:00:00.000Z');
    assert.equal(isClosedMonth('2026-12', closedCutoff(at('2027-01-01T00:00:00Z'))), true);
    assert.equal(monthOfLoadDate('2028-02-29'), '2028-02');
  });

  test('dates are checked', () => {
    assert.equal(parseDate('2028-02-29').toISOString(), '2028-02-29T00:00:00.000Z');
    assert.throws(() => parseDate('2026-02-30'), /not a date: "2026-02-30"/);
    assert.throws(() => parseDate('2026-1-1'), /expected YYYY-MM-DD/);
    assert.throws(() => closedCutoff(at('2026-11-15T00:00:00Z'), 'yesterday'), /not a date/);
    assert.throws(() => monthEnd('2026-13x'), /not a month/);
  });
});

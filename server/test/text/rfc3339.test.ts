/** RFC 3339 date-times (text/rfc3339.ts), as syslog lines start with them and `# smtptls-time:` comments hold them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRfc3339 } from '../../src/core/text/rfc3339';

const at = (s: string): [string, number] | null => {
  const t = parseRfc3339(s);
  return t ? [new Date(t.time).toISOString(), t.length] : null;
};

test('parseRfc3339: UTC, an offset with or without its colon, east and west; any fraction, read to the millisecond; what follows is not read', () => {
  assert.deepEqual(at('2026-11-30T08:13:50Z'), ['2026-11-30T08:13:50.000Z', 20]);
  assert.deepEqual(at('2026-12-01T00:19:54.809590+00:00 vm postfix'), ['2026-12-01T00:19:54.809Z', 32]);
  assert.deepEqual(at('2026-12-01T02:19:54+0200'), ['2026-12-01T00:19:54.000Z', 24]);
  assert.deepEqual(at('2026-11-30T19:19:54.5-05:00'), ['2026-12-01T00:19:54.500Z', 27]);
  assert.deepEqual(at('2026-11-30T08:13:50.123456789Z'), ['2026-11-30T08:13:50.123Z', 30]);
  // A leap second is read as the second before it; 29 February of a leap year is a day.
  assert.deepEqual(at('2016-12-31T23:59:60Z'), ['2016-12-31T23:59:59.000Z', 20]);
  assert.deepEqual(at('2028-02-29T00:00:00Z'), ['2028-02-29T00:00:00.000Z', 20]);
});

test('parseRfc3339: no offset, a field out of range, or not at the start: null', () => {
  for (const s of [
    '2026-11-30T08:13:50',
    '2026-11-30 08:13:50Z',
    '2026-13-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-11-30T24:00:00Z',
    '2026-11-30T08:60:00Z',
    '2026-11-30T08:13:61Z',
    '2026-11-30T08:13:50+24:00',
    '2026-11-30T08:13:50+01:60',
    ' 2026-11-30T08:13:50Z',
    'Dec  1 00:19:54',
    '',
  ]) {
    assert.equal(parseRfc3339(s), null, s);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indentOf, isoFromMonthName } from '../../src/core/formats/printedFields';

test('indentOf: the spaces a line starts with (tabs are not spaces)', () => {
  assert.equal(indentOf('        validity'), 8);
  assert.equal(indentOf('Certificate:'), 0);
  assert.equal(indentOf('    '), 4);
  assert.equal(indentOf('\t x'), 0);
});

test('isoFromMonthName: tshark\'s and openssl\'s month-name times as ISO 8601; an unknown month is none', () => {
  // tshark's GeneralizedTime "Jan  1, 2099 00:00:00" and openssl's "Nov 30 11:41:55 2026 GMT".
  assert.equal(isoFromMonthName('Jan', '1', '2099', '00', '00', '00'), '2099-01-01T00:00:00.000Z');
  assert.equal(isoFromMonthName('Nov', '30', '2026', '11', '41', '55'), '2026-11-30T11:41:55.000Z');
  assert.equal(isoFromMonthName('Foo', '1', '2026', '00', '00', '00'), null);
});

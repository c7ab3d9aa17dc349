/** indexedName: "list[i]" field names, shared for the first 1,024 items of each list. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexedName } from '../../src/core/tls/indexedName';

test('the name of item i is list[i], the first time and every time after', () => {
  for (const list of ['cipher_suites', 'extensions', 'named_group_list']) {
    for (const i of [0, 1, 9, 10, 1023]) {
      assert.equal(indexedName(list, i), `${list}[${i}]`);
      assert.equal(indexedName(list, i), `${list}[${i}]`, 'asked again');
    }
  }
  // Lists with a common prefix keep their own names.
  assert.equal(indexedName('cipher_suites', 2), 'cipher_suites[2]');
  assert.equal(indexedName('cipher_suite', 2), 'cipher_suite[2]');
});

test('past the shared items, and for indices that are not item numbers, the name is still list[i]', () => {
  assert.equal(indexedName('extensions', 1024), 'extensions[1024]');
  assert.equal(indexedName('extensions', 65535), 'extensions[65535]');
  assert.equal(indexedName('extensions', -1), 'extensions[-1]');
  assert.equal(indexedName('extensions', 1.5), 'extensions[1.5]');
  assert.equal(indexedName('extensions', Number.NaN), 'extensions[NaN]');
});

/**
 * Hover on s_client's verdict on the certificate chain (features/opensslVerifyNotes.ts), on real
 * s_client output of server/test/fixtures/certificates; the verify results' texts against what the
 * installed libcrypto gives (verify-names.txt, make-verify-names.py).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover } from '../../src/core/features/hover';
import { describeOpensslVerifyAt, VERIFY_RESULTS } from '../../src/core/features/opensslVerifyNotes';

const DIR = join(__dirname, '..', 'fixtures', 'certificates');

test('every verify result explained is named as libcrypto names it', () => {
  const names = new Map(
    readFileSync(join(DIR, 'verify-names.txt'), 'utf8')
      .split('\n')
      .filter((l) => /^\d+\t/.test(l))
      .map((l) => [Number(l.split('\t')[0]), l.split('\t')[1]] as const),
  );
  assert.ok(names.size > 80, `${names.size} names`);
  for (const [code, r] of VERIFY_RESULTS) assert.equal(r.name, names.get(code), `verify result ${code}`);
});

test('hover on s_client\'s verify error and on its Verify return code: the verdict and what it means', () => {
  const text = readFileSync(join(DIR, 'expired.plain.txt'), 'utf8');
  const a = analyzeDocument(text);
  const error = computeHover(a, text.indexOf('verify error:num=10') + 3);
  assert.match(error?.markdown ?? '', /^\*\*OpenSSL verify error 10: certificate has expired\*\*/);
  assert.match(error?.markdown ?? '', /notAfter lies before the time of verification/);
  assert.match(error?.markdown ?? '', /s_client continues the handshake/);
  assert.equal(text.slice(error!.span.start, error!.span.end), 'verify error:num=10:certificate has expired');
  const summary = computeHover(a, text.indexOf('Verify return code: ') + 2);
  assert.match(summary?.markdown ?? '', /^\*\*OpenSSL verify result \d+: /);
  // A missing intermediate, as most runs here show (the root is in no trust store).
  const plain = readFileSync(join(DIR, 'good-chain.plain.txt'), 'utf8');
  const note = describeOpensslVerifyAt(analyzeDocument(plain), plain.indexOf('verify error:num=20') + 1);
  assert.match(note?.title ?? '', /^OpenSSL verify error 20: unable to get local issuer certificate$/);
  assert.match(note?.about ?? '', /left out an intermediate, or the root is not in the client's trust store/);
});

test('a verify result not in the table gets the general note; text around the verify lines gets none', () => {
  const text = ['CONNECTED(00000003)', 'verify error:num=43:different CRL scope', 'Verify return code: 0 (ok)', 'depth=0 CN = x'].join('\n');
  const a = analyzeDocument(text);
  const other = describeOpensslVerifyAt(a, text.indexOf('num=43'));
  assert.equal(other?.title, 'OpenSSL verify error 43: different CRL scope');
  assert.match(other?.about ?? '', /^OpenSSL's verification of the peer's certificate chain failed/);
  const ok = describeOpensslVerifyAt(a, text.indexOf('return code'));
  assert.match(ok?.about ?? '', /^The chain verified/);
  assert.doesNotMatch(ok?.about ?? '', /continues the handshake/);
  assert.equal(describeOpensslVerifyAt(a, text.indexOf('depth=0')), null);
  assert.equal(describeOpensslVerifyAt(a, 2), null);
});

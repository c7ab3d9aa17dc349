/**
 * Our registry names against tshark's own value tables, for every value both
 * know. The fixture server/test/fixtures/tls/tshark-values.tsv was written once
 * by make-tshark-values.sh (`tshark -G values`, TShark 4.0.17; the command and
 * version are in its header), so the test does not need tshark installed.
 *
 * Normalisation (tshark's names differ in style from IANA's, ours follow IANA):
 * - a trailing note in parentheses is dropped on both sides: ours mark private
 *   values ("channel_id (non-IANA)"), tshark marks drafts ("(drafts version)");
 * - handshake types and alert descriptions: tshark writes them as Title Case
 *   words ("Server Hello Done", "Unknown CA"), IANA as snake_case; both sides
 *   are lower-cased with spaces turned into underscores;
 * - GREASE values are compared by kind: every value tshark calls
 *   "Reserved (GREASE)" must be GREASE for us (we name them "GREASE (0x0a0a)").
 * Differences we accept are listed in ACCEPTED, each with its reason.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  lookupAlertDescription,
  lookupCipherSuite,
  lookupExtensionType,
  lookupHandshakeType,
  lookupSignatureScheme,
  lookupSupportedGroup,
  type RegistryEntry,
} from '../../src/core/tls/registry';
import { sslv2MessageName } from '../../src/core/tls/sslv2';

const FIXTURE = join(__dirname, '..', 'fixtures', 'tls', 'tshark-values.tsv');

interface Row {
  readonly value: number;
  readonly name: string;
}

function readRows(): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const line of readFileSync(FIXTURE, 'utf8').split('\n')) {
    if (!line.startsWith('V\t')) continue;
    const [, field, value, name] = line.split('\t');
    const rows = out.get(field) ?? [];
    rows.push({ value: Number(value), name });
    out.set(field, rows);
  }
  return out;
}

const ROWS = readRows();

const dropNote = (s: string): string => s.replace(/\s*\([^)]*\)$/, '');
const snake = (s: string): string => s.toLowerCase().replace(/[ -]+/g, '_');

interface FieldSpec {
  readonly field: string;
  readonly lookup: (v: number) => RegistryEntry;
  readonly style: 'as-is' | 'title-case';
}

const FIELDS: readonly FieldSpec[] = [
  { field: 'tls.handshake.ciphersuite', lookup: lookupCipherSuite, style: 'as-is' },
  { field: 'tls.handshake.extension.type', lookup: lookupExtensionType, style: 'as-is' },
  { field: 'tls.handshake.extensions_supported_group', lookup: lookupSupportedGroup, style: 'as-is' },
  { field: 'tls.handshake.sig_hash_alg', lookup: lookupSignatureScheme, style: 'as-is' },
  { field: 'tls.alert_message.desc', lookup: lookupAlertDescription, style: 'title-case' },
  { field: 'tls.handshake.type', lookup: lookupHandshakeType, style: 'title-case' },
];

/** `field value` → [ours, tshark's] after normalisation, and why the difference stands. */
const ACCEPTED: ReadonlyMap<string, { readonly ours: string; readonly theirs: string; readonly why: string }> = new Map([
  ['tls.handshake.type 21', { ours: 'certificate_url', theirs: 'client_certificate_url', why: 'IANA and RFC 6066 §5 name the message certificate_url' }],
  ['tls.handshake.extension.type 34', { ours: 'delegated_credential', theirs: 'delegated_credentials', why: 'IANA and RFC 9345 §4 name the extension delegated_credential' }],
  ['tls.handshake.extension.type 30031', { ours: 'channel_id', theirs: 'channel_id_old', why: 'same meaning: ours says "(non-IANA, old)" in the note that normalisation drops' }],
  ['tls.handshake.extensions_supported_group 512', { ours: 'MLKEM512', theirs: 'frodo640aes', why: 'tshark 4.0 names the Open Quantum Safe test code point; IANA assigned 0x0200 to MLKEM512 (draft-connolly-tls-mlkem-key-agreement)' }],
  ['tls.handshake.extensions_supported_group 513', { ours: 'MLKEM768', theirs: 'frodo640shake', why: 'as 0x0200: IANA assigned 0x0201 to MLKEM768' }],
  ['tls.handshake.extensions_supported_group 514', { ours: 'MLKEM1024', theirs: 'frodo976aes', why: 'as 0x0200: IANA assigned 0x0202 to MLKEM1024' }],
]);

test('the tshark value fixture names its command and version', () => {
  const head = readFileSync(FIXTURE, 'utf8').split('\n').slice(0, 2);
  assert.match(head[0], /^# tshark -G values/);
  assert.match(head[1], /^# TShark \(Wireshark\) 4\.0\.17/);
  for (const f of FIELDS) assert.ok((ROWS.get(f.field) ?? []).length > 0, f.field);
});

for (const spec of FIELDS) {
  test(`${spec.field}: our names agree with tshark's for every value both know`, () => {
    let rows = ROWS.get(spec.field) ?? [];
    if (spec.field === 'tls.handshake.type') {
      // tshark registers the SSL 2.0 message types under the same field name, first (values 0-8).
      const second = rows.findIndex((r, i) => i > 0 && r.value === 0);
      rows = rows.slice(second);
    }
    let compared = 0;
    let grease = 0;
    const mismatches: string[] = [];
    const accepted = new Set<string>();
    for (const row of rows) {
      const ours = spec.lookup(row.value);
      if (row.name === 'Reserved (GREASE)') {
        assert.equal(ours.grease, true, `${spec.field} ${row.value}: tshark says GREASE`);
        grease++;
        continue;
      }
      if (!ours.known || ours.grease) continue;
      compared++;
      const a = dropNote(ours.name);
      const b = spec.style === 'title-case' ? snake(dropNote(row.name)) : dropNote(row.name);
      const key = `${spec.field} ${row.value}`;
      const ok = spec.style === 'title-case' ? snake(a) === b : a === b;
      if (ok) continue;
      const allowed = ACCEPTED.get(key);
      if (allowed && allowed.ours === a && allowed.theirs === b) {
        accepted.add(key);
        continue;
      }
      mismatches.push(`${key}: ours ${JSON.stringify(a)} tshark ${JSON.stringify(b)}`);
    }
    assert.deepEqual(mismatches, []);
    // Every accepted difference of this field still occurs (a stale entry hides nothing).
    const expected = [...ACCEPTED.keys()].filter((k) => k.startsWith(`${spec.field} `));
    assert.deepEqual([...accepted].sort(), expected.sort());
    assert.ok(compared >= 17, `${spec.field}: only ${compared} values compared`);
    console.log(`# ${spec.field}: ${compared} names compared, ${accepted.size} accepted differences, ${grease} GREASE values`);
  });
}

test('tls.handshake.type: the SSL 2.0 message types tshark lists agree with ours', () => {
  const rows = ROWS.get('tls.handshake.type') ?? [];
  const second = rows.findIndex((r, i) => i > 0 && r.value === 0);
  const sslv2 = rows.slice(0, second);
  assert.equal(sslv2.length, 9);
  for (const r of sslv2) assert.equal(snake(sslv2MessageName(r.value)), snake(r.name), `SSLv2 type ${r.value}`);
});

test('every value tshark names in these six tables is either known to us or listed here as left out', () => {
  // Values tshark knows and we do not: drafts and national suites that IANA never assigned.
  const leftOut = (field: string, row: Row): boolean => {
    if (field === 'tls.handshake.ciphersuite') return row.value === 0x1c || row.value === 0x1d || row.value === 0xc0ff || row.value >= 0xe000;
    if (field === 'tls.handshake.extension.type') return row.name.startsWith('Reserved (');
    if (field === 'tls.handshake.extensions_supported_group') return (row.value >= 0x0203 && row.value <= 0x02ff) || (row.value >= 0x2f00 && row.value <= 0x2fff);
    if (field === 'tls.handshake.sig_hash_alg') return row.value >= 0xfe00 && row.value <= 0xfeff;
    if (field === 'tls.alert_message.desc') return row.value === 1; // end_of_early_data: a TLS 1.3 draft alert
    if (field === 'tls.handshake.type') return row.value === 7 || row.value === 67; // SSLv2 REQUEST-CERTIFICATE; an NSS draft EncryptedExtensions
    return false;
  };
  const unexplained: string[] = [];
  for (const spec of FIELDS) {
    for (const row of ROWS.get(spec.field) ?? []) {
      if (spec.lookup(row.value).known) continue;
      if (!leftOut(spec.field, row)) unexplained.push(`${spec.field} ${row.value} ${row.name}`);
    }
  }
  assert.deepEqual(unexplained, []);
});

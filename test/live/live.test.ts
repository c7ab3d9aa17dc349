/**
 * The live stage (scripts/live/run.sh makes the folder SMTPTLS_LIVE_DIR in the same run):
 * real sessions decoded by us and by tshark, compared on every field both decode.
 *
 *   tls-matrix  every handshake message of the TLS matrix (server/test/tls/tsharkCompare.ts)
 *   captures    every plaintext handshake message of each client session's pcap and pcapng,
 *               and of the container variants (pcapng, nsec, SLL, SLL2, snaplen, frame deletion)
 *   smtp        the SMTP verbs and reply codes before TLS, against tshark's smtp dissector
 *   formats     the hello facts of each text rendering (the tool's own output, tshark -x,
 *               tshark follow hex, tcpdump -X) against the hello facts of the session's capture
 *   export      `bin/smtptls export-pcap` of each imported session, dissected by tshark
 *   corrupted   snaplen cuts and truncated files: diagnostics, never a crash
 *   decrypted   each session whose client wrote a key log (openssl -keylogfile, SSLKEYLOGFILE), its
 *               capture imported with it: the dialogue inside TLS against tshark's follow,tls, the
 *               handshake message types and alerts inside the records against tshark's
 *
 * Prints the agreement rate per category and in total; every disagreement is listed.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeDocument, type Analysis } from '../../server/src/core/analysis/analyzeDocument';
import { createBufferSource } from '../../server/src/core/capture/captureSource';
import { importCapture, type ImportResult } from '../../server/src/core/capture/importCapture';
import type { ClientHelloMessage, HandshakeMessage, ServerHelloMessage } from '../../server/src/core/model/tls';
import { lookupCipherSuite } from '../../server/src/core/tls/registry/cipherSuites';
import { cipherSuiteByName } from '../../server/src/core/tls/registry/cipherNames';
import { algorithmGroups } from '../../server/src/core/formats/statedFacts';
import { parseKeyLog } from '../../server/src/core/tls/decrypt/keyLogSecrets';
import { decryptedDialogue, ourMessages as ourDecryptedMessages, tsharkFollowStreams, tsharkMessageFields } from '../../server/test/capture/keyLogOracle';
import { compareMessage, num, readTsharkJson, registerTlsDifferential, Tally, type TsharkMessage } from '../../server/test/tls/tsharkCompare';

const LIVE = process.env.SMTPTLS_LIVE_DIR ?? '';
const REPO = join(__dirname, '..', '..');
const CLI = join(REPO, 'bin', 'smtptls');

const tallies = new Map<string, Tally>();
const tally = (category: string): Tally => {
  if (!tallies.has(category)) tallies.set(category, new Tally());
  return tallies.get(category)!;
};

/** Runs `check` on a Tally made for one case and adds it to its category; returns the mismatches. */
function counted(category: string, run: (t: Tally) => void): string[] {
  const t = new Tally();
  run(t);
  const c = tally(category);
  c.compared += t.compared;
  c.agreed += t.agreed;
  c.mismatches.push(...t.mismatches);
  return t.mismatches;
}

test('the live folder is there (scripts/live/run.sh)', () => {
  assert.ok(LIVE && existsSync(join(LIVE, 'sessions')), `SMTPTLS_LIVE_DIR=${LIVE}`);
});
if (!LIVE || !existsSync(join(LIVE, 'sessions'))) process.exitCode = 1;

// ------------------------------------------------------------------ TLS matrix
registerTlsDifferential(join(LIVE, 'tls'), { label: 'live TLS matrix', minCases: 19, minFields: 500, total: tally('tls-matrix') });

// ----------------------------------------------------------------- our decoding
function importFile(file: string): ImportResult {
  return importCapture(createBufferSource(new Uint8Array(readFileSync(file))), { name: file });
}

interface OurMessage {
  readonly dir: 'client' | 'server';
  readonly m: HandshakeMessage;
}

/** Our plaintext handshake messages of every session, in order, per direction. */
function ourMessages(a: Analysis): OurMessage[] {
  const out: OurMessage[] = [];
  for (const s of a.sessions) {
    for (const e of s.tlsEvents) {
      for (const r of e.records) {
        if (r.encrypted || r.bodyNotShown) continue;
        for (const m of r.messages) out.push({ dir: e.direction === 'server' ? 'server' : 'client', m });
      }
    }
  }
  return out;
}

/** Compares every plaintext handshake message of a capture: ours (imported) and tshark's. */
function compareCapture(t: Tally, label: string, a: Analysis, theirs: readonly TsharkMessage[]): void {
  for (const dir of ['client', 'server'] as const) {
    const ours = ourMessages(a).filter((x) => x.dir === dir).map((x) => x.m);
    const plain = theirs.filter((x) => x.dir === dir && !x.encrypted);
    t.check(`${label} ${dir} message types`, ours.map((m) => m.type), plain.map((x) => num(x.h['tls.handshake.type'])));
    plain.forEach((x, i) => ours[i] && compareMessage(t, `${label} ${dir} ${i} (${ours[i].name})`, ours[i], x.h));
  }
}

/** The bulk cipher of a suite's IANA name, as GnuTLS names it: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 → AES-256-GCM, RC4_128 → ARCFOUR-128. */
function bulkOfSuite(iana: string): string | undefined {
  const m = /^TLS_(?:.+_WITH_)?(.+)_(?:SHA|SHA256|SHA384|MD5)$/.exec(iana);
  return m ? m[1].replace(/_/g, '-').replace(/^RC4-/, 'ARCFOUR-').replace(/^3DES-EDE-CBC$/, '3DES-CBC') : undefined;
}

/** The bulk cipher GnuTLS's description names: "(ECDHE-SECP256R1)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)" → AES-256-GCM. */
function bulkOfDescription(algorithms: string): string | undefined {
  return algorithmGroups(algorithms).find((g) => /^(?:AES|CHACHA20|CAMELLIA|ARCFOUR|3DES|DES|NULL|ARIA|GOST|SM4)/.test(g));
}

/** The hello facts a rendering shows, from bytes or, where the tool only states them, from its words. */
function helloFacts(a: Analysis): Map<string, unknown> {
  const facts = new Map<string, unknown>();
  const put = (k: string, v: unknown): void => {
    if (v !== undefined && v !== null && !facts.has(k)) facts.set(k, v);
  };
  const hellos = ourMessages(a).map((x) => x.m);
  const ch = hellos.find((m) => m.type === 1) as ClientHelloMessage | undefined;
  const sh = hellos.find((m) => m.type === 2 && m.name === 'ServerHello') as ServerHelloMessage | undefined;
  if (ch) {
    put('client_hello.version', ch.version);
    put('client_hello.random', ch.random);
    put('client_hello.session_id_length', ch.sessionId.length / 2);
    put('client_hello.session_id', ch.sessionId);
    put('client_hello.cipher_suites', ch.cipherSuites);
    put('client_hello.compression', ch.compressionMethods);
    put('client_hello.extensions', ch.extensions.map((x) => x.type));
    put('client_hello.supported_versions', ch.supportedVersions);
    put('client_hello.sni', ch.serverName);
    put('client_hello.alpn', ch.alpn);
  }
  if (sh) {
    put('server_hello.version', sh.version);
    put('server_hello.random', sh.random);
    put('server_hello.session_id', sh.sessionId);
    put('server_hello.cipher_suite', sh.cipherSuite);
    put('server_hello.compression', [sh.compressionMethod]);
    put('server_hello.extensions', sh.extensions.map((x) => x.type));
    put('server_hello.selected_version', sh.selectedVersion);
    put('negotiated.version', sh.selectedVersion ?? sh.version);
    put('negotiated.cipher_name', lookupCipherSuite(sh.cipherSuite).name);
    put('negotiated.cipher_bulk', bulkOfSuite(lookupCipherSuite(sh.cipherSuite).name));
  }
  for (const s of a.sessions) {
    for (const e of s.session.events) {
      if (e.kind !== 'stated') continue;
      if (e.subject === 'client-hello') {
        put('client_hello.version', e.version);
        put('client_hello.session_id_length', e.sessionIdLength);
        put('client_hello.cipher_suites', e.cipherSuites);
        put('client_hello.compression', e.compressionMethods);
        put('client_hello.extensions', e.extensions);
        put('client_hello.supported_versions', e.supportedVersions);
      } else if (e.subject === 'server-hello') {
        put('server_hello.version', e.version);
        put('server_hello.cipher_suite', e.cipherSuite);
        put('server_hello.compression', e.compressionMethods);
        put('server_hello.extensions', e.extensions);
        put('server_hello.selected_version', e.supportedVersions?.[0]);
      } else if (e.subject === 'negotiated') {
        put('negotiated.version', e.version);
        // A name in IANA's, OpenSSL's or GnuTLS's words, resolved through our tables: compared as IANA's name.
        const code = e.cipherName ? cipherSuiteByName(e.cipherName) : undefined;
        if (code !== undefined) {
          put('negotiated.cipher_name', lookupCipherSuite(code).name);
          put('negotiated.cipher_bulk', bulkOfSuite(lookupCipherSuite(code).name));
        }
        // GnuTLS's description (msmtp, gnutls-cli) names no suite, but its bulk cipher.
        if (e.cipherAlgorithms) put('negotiated.cipher_bulk', bulkOfDescription(e.cipherAlgorithms));
      }
    }
  }
  return facts;
}

/** SMTP before TLS (up to the TLS bytes, or to the first line a tool shows inside TLS): client verbs and server reply codes, in order. */
function ourSmtp(a: Analysis): { verbs: string[]; codes: number[] } {
  const verbs: string[] = [];
  const codes: number[] = [];
  for (const s of a.sessions) {
    for (const e of s.session.events) {
      if (e.kind === 'bytes' || ((e.kind === 'command' || e.kind === 'reply') && e.inTls)) break;
      if (e.kind === 'command') verbs.push(e.verb.toUpperCase());
      if (e.kind === 'reply') codes.push(e.code);
    }
  }
  return { verbs, codes };
}

/** tshark -Y smtp -T fields -e tcp.srcport -e smtp.req.command -e smtp.response.code. */
function tsharkSmtp(text: string): { verbs: string[]; codes: number[] } {
  const verbs: string[] = [];
  const codes: number[] = [];
  for (const line of text.split('\n')) {
    const [, verb, codeList] = line.split('|');
    if (verb) verbs.push(verb.toUpperCase());
    // One value per reply line: a multi-line reply in one segment repeats its code.
    if (codeList) codes.push(...[...new Set(codeList.split(',').map(Number))]);
  }
  return { verbs, codes };
}

const SESSIONS = existsSync(join(LIVE, 'sessions')) ? readdirSync(join(LIVE, 'sessions')).sort() : [];

test('live client sessions were made', () => {
  assert.ok(SESSIONS.length >= 7, SESSIONS.join(' '));
});

for (const name of SESSIONS) {
  const d = join(LIVE, 'sessions', name);
  test(`${name}: capture, SMTP, renderings and export agree with tshark`, () => {
    const theirs = readTsharkJson(readFileSync(join(d, 'tshark.json'), 'utf8'));
    const mismatches: string[] = [];
    let captureFacts: Map<string, unknown> | null = null;
    let captureRules = new Set<string>();
    let captureSmtp: { verbs: string[]; codes: number[] } | null = null;
    for (const file of ['capture.pcap', 'capture.pcapng']) {
      const imported = importFile(join(d, file));
      assert.equal(imported.failed, false, `${name}/${file}: ${JSON.stringify(imported.problems)}`);
      assert.equal(imported.sessionCount, 1, `${name}/${file}: one SMTP session`);
      const a = analyzeDocument(imported.text);
      mismatches.push(...counted('captures', (t) => compareCapture(t, `${name}/${file}`, a, theirs)));
      if (file === 'capture.pcap') {
        captureFacts = helloFacts(a);
        captureRules = new Set(a.findings.map((f) => f.rule));
        captureSmtp = ourSmtp(a);
        // tshark's SMTP dissector keeps the first four characters of a command (RFC 821 verbs are
        // four letters): "STARTTLS" is "STAR" in smtp.req.command, so verbs are compared on those.
        const ours = ourSmtp(a);
        const tsh = tsharkSmtp(readFileSync(join(d, 'tshark-smtp.txt'), 'utf8'));
        mismatches.push(...counted('smtp', (t) => {
          t.check(`${name} SMTP verbs (first 4 characters)`, ours.verbs.map((v) => v.slice(0, 4)), tsh.verbs);
          t.check(`${name} SMTP reply codes`, ours.codes, tsh.codes);
        }));
        assert.ok(ours.verbs.includes('STARTTLS'), `${name}: STARTTLS seen`);
        // Export the imported transcript back to a pcap; tshark must read the same hellos in it.
        const transcript = join(d, 'imported.transcript');
        writeFileSync(transcript, imported.text);
        const out = join(d, 'exported.pcap');
        const ex = spawnSync(CLI, ['export-pcap', transcript, '-o', out], { encoding: 'utf8' });
        assert.equal(ex.status, 0, `export-pcap: ${ex.stderr}`);
        const tj = spawnSync('tshark', ['-r', out, '-T', 'json', '--no-duplicate-keys', '-J', 'tcp tls', '-Y', 'tls'], { encoding: 'utf8', maxBuffer: 64 << 20 });
        assert.equal(tj.status, 0, `tshark on the exported pcap: ${tj.stderr}`);
        const exported = readTsharkJson(tj.stdout).filter((x) => ['1', '2'].includes(String(x.h['tls.handshake.type'])));
        mismatches.push(...counted('export', (t) => {
          const hellos = ourMessages(a).filter((x) => x.m.type === 1 || x.m.type === 2);
          t.check(`${name} exported hello count`, hellos.length, exported.length);
          exported.forEach((x, i) => hellos[i] && compareMessage(t, `${name} exported ${x.dir} ${i}`, hellos[i].m, x.h));
        }));
      }
    }
    // Every rendering of the session names its format and reads to the capture's hello facts.
    const format = readFileSync(join(d, 'format.txt'), 'utf8').trim();
    const renderings: [string, string | null][] = [['tool.txt', format], ['tshark-x.txt', 'tshark-x'], ['tshark-follow-hex.txt', 'tshark-follow-hex'], ['tcpdump-X.txt', 'tcpdump-hex'], ['tcpdump-A.txt', 'tcpdump-ascii']];
    for (const [file, want] of renderings) {
      const a = analyzeDocument(readFileSync(join(d, file), 'latin1'));
      if (want) assert.equal(a.transcript.format, want, `${name}/${file} format`);
      const facts = helloFacts(a);
      let compared = 0;
      mismatches.push(...counted('formats', (t) => {
        for (const [k, v] of facts) {
          if (!captureFacts!.has(k)) continue;
          compared++;
          t.check(`${name}/${file} ${k}`, v, captureFacts!.get(k));
        }
      }));
      // A rendering that shows no hello facts at all is a tool that did not produce its output
      // (tcpdump -A shows no TLS: its SMTP before STARTTLS is compared below; msmtp states only the
      // version, and its SMTP before TLS is compared too).
      const smtpOnly = file === 'tcpdump-A.txt' || (file === 'tool.txt' && format === 'msmtp-debug');
      assert.ok(compared >= (smtpOnly ? (file === 'tool.txt' ? 1 : 0) : 2), `${name}/${file}: only ${compared} hello facts to compare (${[...facts.keys()].join(', ')})`);
      // Tools that print the whole dialogue before TLS (msmtp, posttls-finger, gnutls-cli -V's STARTTLS helper): the capture's.
      const clearDialogue = file === 'tool.txt' && (format === 'msmtp-debug' || format === 'posttls-finger' || name === 'gnutls-verbose');
      if (smtpOnly || clearDialogue) assert.deepEqual(ourSmtp(a), captureSmtp, `${name}/${file}: SMTP before TLS`);
      // What a rendering of the session is judged for, the capture of it is judged for too.
      const extra = a.findings.filter((f) => !captureRules.has(f.rule)).map((f) => `${f.rule}: ${f.message}`);
      assert.deepEqual(extra, [], `${name}/${file}: findings the capture does not have`);
    }
    assert.deepEqual(mismatches, []);
  });
}

// ------------------------------------------------ captures decrypted with the client's key log
const KEYLOGGED = SESSIONS.filter((name) => existsSync(join(LIVE, 'sessions', name, 'tshark-follow-tls.txt')));

test('live sessions wrote key logs that tshark decrypts (openssl, GnuTLS, curl)', () => {
  assert.ok(KEYLOGGED.length >= 8, KEYLOGGED.join(' '));
});

for (const name of KEYLOGGED) {
  const d = join(LIVE, 'sessions', name);
  test(`${name}: decrypted with its key log, the dialogue and the messages inside TLS are tshark's`, () => {
    const { keyLog } = parseKeyLog(readFileSync(join(d, 'keylog.txt'), 'utf8'));
    const imported = importCapture(createBufferSource(new Uint8Array(readFileSync(join(d, 'capture.pcap')))), { name, keyLog });
    const [first, second] = tsharkFollowStreams(readFileSync(join(d, 'tshark-follow-tls.txt'), 'latin1'));
    const ours = decryptedDialogue(imported.text);
    const [client, server] = first.startsWith(ours.client.slice(0, 4)) ? [first, second] : [second, first];
    const theirs = tsharkMessageFields(readFileSync(join(d, 'tshark-decrypted.txt'), 'utf8'), ['25']);
    const mine = ourDecryptedMessages(imported.text);
    const mismatches = counted('decrypted', (t) => {
      t.check(`${name} client data inside TLS`, ours.client, client);
      t.check(`${name} server data inside TLS`, ours.server, server);
      t.check(`${name} client handshake messages and alerts`, mine.client, theirs.client);
      t.check(`${name} server handshake messages and alerts`, mine.server, theirs.server);
      t.check(`${name} records not opened`, imported.stats.undecryptedRecords, 0);
    });
    assert.ok(ours.server.length > 0, `${name}: nothing decrypted`);
    assert.deepEqual(mismatches, []);
  });
}

// -------------------------------------------- container variants and corrupted copies
const CAPTURES = existsSync(join(LIVE, 'capture')) ? readdirSync(join(LIVE, 'capture')).filter((f) => /\.pcap(ng)?$/.test(f)).sort() : [];

test('live capture variants were made', () => {
  assert.ok(CAPTURES.length >= 10, CAPTURES.join(' '));
});

for (const file of CAPTURES) {
  const path = join(LIVE, 'capture', file);
  const corrupt = file.startsWith('corrupt-') || file.includes('snap100') || file.includes('drop12');
  test(`${file}: ${corrupt ? 'diagnostics, no crash' : 'agrees with tshark'}`, () => {
    const imported = importFile(path);
    const a = analyzeDocument(imported.text);
    if (!corrupt) {
      assert.equal(imported.failed, false, JSON.stringify(imported.problems));
      const theirs = readTsharkJson(readFileSync(`${path}.tshark.json`, 'utf8'));
      assert.deepEqual(counted('captures', (t) => compareCapture(t, file, a, theirs)), []);
      return;
    }
    // A cut or holed capture: what could be read, and a diagnostic saying what could not.
    const diagnostics = imported.problems.length + a.findings.length + imported.sessions.reduce((n, s) => n + s.gaps, 0);
    const c = tally('corrupted');
    c.compared++;
    if (diagnostics > 0) c.agreed++;
    else c.mismatches.push(`${file}: no diagnostic`);
    assert.ok(diagnostics > 0, `${file}: no diagnostic`);
    // The CLI on the same file: an exit status, never a crash (no stack trace, no signal).
    for (const cmd of ['check', 'decode']) {
      const r = spawnSync(CLI, [cmd, path], { encoding: 'utf8', maxBuffer: 64 << 20 });
      assert.equal(r.signal, null, `${cmd} ${file}: killed by ${r.signal}`);
      assert.ok(r.status !== null && r.status <= 2, `${cmd} ${file}: exit ${r.status}`);
      assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+\)?\n/, `${cmd} ${file}: a stack trace`);
    }
  });
}

test('agreement with tshark per category and in total', () => {
  const total = new Tally();
  for (const [category, t] of tallies) {
    console.log(`# live ${category}: ${t.agreed}/${t.compared} fields agree (${((100 * t.agreed) / Math.max(1, t.compared)).toFixed(1)}%)`);
    total.compared += t.compared;
    total.agreed += t.agreed;
    total.mismatches.push(...t.mismatches);
  }
  console.log(`# live total: ${total.agreed}/${total.compared} fields agree (${((100 * total.agreed) / Math.max(1, total.compared)).toFixed(1)}%)`);
  for (const m of total.mismatches) console.log(`# disagreement: ${m}`);
  assert.deepEqual(total.mismatches, []);
  assert.ok(total.compared > 1000, `${total.compared} fields compared`);
});

/** LSP over stdio against the built server: open a large document, edit it, hover, and read the server's RSS. */
import * as fs from 'node:fs';
import { generateCorpus } from './corpus';
import { LspClient, VSCODE_PUBLISH_DIAGNOSTICS } from '../server/test/helpers/lspClient';
import { SERVER_EXEC_ARGV } from '../client/src/serverExecArgv';

const pp = (xs: number[]): string => `${percentile(xs, 50).toFixed(0)} / ${percentile(xs, 95).toFixed(0)}`;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** VmRSS (resident now) or VmHWM (peak resident) of a process, in MiB. */
function readRssMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  if (!pid) return NaN;
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export async function benchLsp(_work: string, quick: boolean): Promise<{ section: string; rows: Record<string, string | number>[] }> {
  const size = 20e6;
  const { text } = generateCorpus('cs-transcript', size, 7);
  const edits = quick ? 40 : 200;
  // Declares what VS Code declares for diagnostics (related locations, RFC links) and starts the server with
  // the Node flags VS Code's client gives it (SMTPTLS_BENCH_PLAIN_NODE=1: without them, as `node bin/...` runs).
  const nodeArgs = process.env.SMTPTLS_BENCH_PLAIN_NODE === '1' ? [] : SERVER_EXEC_ARGV;
  const client = await LspClient.start({ publishDiagnostics: VSCODE_PUBLISH_DIAGNOSTICS, nodeArgs });
  client.keepLatestOnly = true;
  const uri = 'file:///bench/large.transcript';
  try {
    // The server's own footprint (Node, the bundle, one tiny document) before the large one.
    const emptyUri = 'file:///bench/empty.transcript';
    await client.open(emptyUri, '');
    await client.waitForDiagnostics(emptyUri, () => true, 60000);
    const baseRssMb = readRssMb(client.child.pid);
    const t0 = performance.now();
    await client.open(uri, text);
    // The server publishes a first part while it analyses the rest, and answers requests meanwhile.
    const first = await client.waitForDiagnostics(uri, () => true, 600000, { includePartial: true });
    const firstMs = performance.now() - t0;
    let openHoverMs = NaN;
    if (first.partial) {
      const line = text.split('\n', 2000).findIndex((l) => /^C: [0-9a-f]{2} /.test(l));
      const th = performance.now();
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 3 } });
      openHoverMs = performance.now() - th;
    }
    await client.waitForDiagnostics(uri, () => true, 600000);
    const openMs = performance.now() - t0;
    const rssMb = readRssMb(client.child.pid);
    const peakRssMb = readRssMb(client.child.pid, 'VmHWM');
    // The same process left idle: V8's memory reducer gives back the heap the first analysis grew
    // (its first pass starts 8 s after a full GC; on this machine the drop comes 10 to 35 s after opening).
    const settleMs = quick ? 20000 : 40000;
    await new Promise((r) => setTimeout(r, settleMs));
    const settledRssMb = readRssMb(client.child.pid);

    // Single-character edits in a comment line near the middle: the findings stay the same, so the
    // server analyses the version and sends nothing (its trace says so; the client holds the right
    // diagnostics already). Each edit waits for the server to have analysed its version.
    const lines = text.split('\n');
    const target = lines.findIndex((l, i) => i > lines.length / 2 && l.startsWith('# '));
    const latencies: number[] = [];
    let leftOut = 0;
    for (let v = 2; v < 2 + edits; v++) {
      const ch = String.fromCharCode(97 + (v % 26));
      const t = performance.now();
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ range: { start: { line: target, character: 2 }, end: { line: target, character: 3 } }, text: ch }],
      });
      const p = await client.waitForDiagnostics(uri, (x) => x.version === v, 600000);
      latencies.push(performance.now() - t);
      if (p.repeated) leftOut++;
    }
    // Single-character edits that change a finding: an SSL 3.0 ClientHello's client_version (03 00)
    // becomes 03 01 and back, so every edit changes the publication. Near the middle the hello's error
    // is past the 1,000 diagnostics published (smtpTls.maxDiagnostics' default, VS Code's own limit; the
    // count in the note changes); at a fifth of the document it is among them.
    let version = 2 + edits;
    let leftOutPastLimit = 0;
    const flip = async (at: LspClient, hello: number, count: number, shown: boolean | null): Promise<number[]> => {
      const out: number[] = [];
      for (let k = 0; k < count; k++, version++) {
        const t = performance.now();
        await at.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [{ range: { start: { line: hello, character: 34 }, end: { line: hello, character: 35 } }, text: k % 2 === 0 ? '1' : '0' }],
        });
        const v = version;
        const p = await at.waitForDiagnostics(uri, (x) => x.version === v, 600000);
        out.push(performance.now() - t);
        // Past the limit the publication may be the same bytes as the last (the same 1,000 shown, the same
        // count left out): the server then sends nothing, which is the editor up to date as well.
        if (p.repeated) {
          if (shown !== false) throw new Error('an edit of client_version left the diagnostics as they were');
          leftOutPastLimit++;
          continue;
        }
        // The bench measures what it says: the hello's error is published (03 00) or not, as expected.
        const errorThere = p.diagnostics.some((d) => d.range.start.line === hello && d.severity === 1);
        if (shown !== null && errorThere !== (shown && k % 2 === 1)) throw new Error(`hello at line ${hello + 1}: error published ${errorThere} after edit ${k}`);
      }
      return out;
    };
    const ssl3Hello = (from: number): number => lines.findIndex((l, i) => i > from && l.startsWith('C: 16 03 00 00 33 01 00 00 2f 03 00 '));
    const middle = ssl3Hello(lines.length / 2);
    const early = ssl3Hello(lines.length / 5);
    const changing = await flip(client, middle, edits, false);
    const changingShown = await flip(client, early, edits, true);
    // Edits that add or remove a line (alternately a line break inserted and removed): every later chunk moves.
    const lineLatencies: number[] = [];
    for (let k = 0; k < (quick ? 20 : 100); k++, version++) {
      const insert = k % 2 === 0;
      const range = insert
        ? { start: { line: target, character: 0 }, end: { line: target, character: 0 } }
        : { start: { line: target, character: 0 }, end: { line: target + 1, character: 0 } };
      const t = performance.now();
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range, text: insert ? '\n' : '' }],
      });
      const v = version;
      await client.waitForDiagnostics(uri, (p) => p.version === v, 600000);
      lineLatencies.push(performance.now() - t);
    }
    // Hovers on hex bytes of client lines spread over the document.
    const hexLines: number[] = [];
    lines.forEach((l, i) => {
      if (/^C: [0-9a-f]{2} /.test(l)) hexLines.push(i);
    });
    const hovers: number[] = [];
    let answered = 0;
    for (let k = 0; k < (quick ? 50 : 200); k++) {
      const line = hexLines[Math.floor((k * 7919) % hexLines.length)];
      const t = performance.now();
      const h = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 3 + 3 * (k % 16) } });
      hovers.push(performance.now() - t);
      if (h) answered++;
    }
    const rssAfterMb = readRssMb(client.child.pid);
    await client.stop();
    // The edits that change a published finding again, with every diagnostic published (the JSON the client parses: about 5 MB instead of 0.7).
    const all = await LspClient.start({ publishDiagnostics: VSCODE_PUBLISH_DIAGNOSTICS, nodeArgs, initializationOptions: { smtpTls: { maxDiagnostics: 0 } } });
    all.keepLatestOnly = true;
    let unlimited: number[];
    try {
      await all.open(uri, text);
      await all.waitForDiagnostics(uri, () => true, 600000);
      version = 2;
      unlimited = await flip(all, early, quick ? 40 : 100, null);
    } finally {
      await all.stop();
    }
    const docMb = Buffer.byteLength(text) / 2 ** 20;
    return {
      section: `LSP over stdio (server started with the Node flags VS Code gives it), ${(size / 1e6).toFixed(0)} MB document (targets: edit → diagnostics p95 ≤ 30 ms, hover p95 ≤ 5 ms, memory ≤ 4× document)`,
      rows: [
        {
          'open → first part of the diagnostics ms': first.partial ? firstMs.toFixed(0) : '(one publication)',
          'hover while opening ms': Number.isNaN(openHoverMs) ? '—' : openHoverMs.toFixed(1),
          'open → all diagnostics ms': openMs.toFixed(0),
          'edit → diagnostics p50 ms': percentile(latencies, 50).toFixed(0),
          'edit → diagnostics p95 ms': percentile(latencies, 95).toFixed(0),
          edits,
          'of which left out as unchanged': leftOut,
          'finding-changing edit p50 / p95 ms (finding not among the 1,000 published)': `${pp(changing)} (${leftOutPastLimit} of ${changing.length} left out as unchanged)`,
          'finding-changing edit p50 / p95 ms (finding published)': pp(changingShown),
          'the same, no limit (smtpTls.maxDiagnostics 0, all diagnostics) p50 / p95 ms': pp(unlimited),
          'line-count edit p50 / p95 ms': `${percentile(lineLatencies, 50).toFixed(0)} / ${percentile(lineLatencies, 95).toFixed(0)}`,
          'hover p50 ms': percentile(hovers, 50).toFixed(1),
          'hover p95 ms': percentile(hovers, 95).toFixed(1),
          'hovers answered': `${answered}/${hovers.length}`,
          'server RSS MB': rssMb.toFixed(0),
          'RSS / document': (rssMb / docMb).toFixed(1) + '×',
          'RSS empty document MB': baseRssMb.toFixed(0),
          '(RSS − empty) / document': ((rssMb - baseRssMb) / docMb).toFixed(1) + '×',
          'peak RSS MB': peakRssMb.toFixed(0),
          [`RSS ${settleMs / 1000} s idle later MB`]: settledRssMb.toFixed(0),
          '(idle RSS − empty) / document': ((settledRssMb - baseRssMb) / docMb).toFixed(1) + '×',
          'RSS after edits+hovers MB': rssAfterMb.toFixed(0),
        },
      ],
    };
  } finally {
    if (client.child.exitCode === null) await client.stop();
  }
}

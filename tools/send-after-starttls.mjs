#!/usr/bin/env node
// send-after-starttls.mjs - speak SMTP up to STARTTLS, then send a raw binary
// (normally a crafted ClientHello) and record how the server answers.
//
// Usage:
//   node tools/send-after-starttls.mjs [options] HOST PORT FILE [SECONDS]
//
//   FILE      bytes to send once STARTTLS is answered (e.g. a .bin written by
//             tools/craft-hellos.mjs)
//   SECONDS   how long to wait for the server after sending (default 3); the
//             tool stops earlier when the server closes the connection
//
// Options:
//   --ehlo NAME          EHLO argument (default client.example.test)
//   --starttls-line TXT  the command line to send instead of "STARTTLS", e.g.
//                        "STARTTLS now" to provoke a refusal (501)
//   --send-anyway        send FILE even when the STARTTLS reply is not 220
//                        (default: stop and QUIT)
//   --no-wait            send FILE in the same write as the STARTTLS line,
//                        without waiting for the 220 (pipelined TLS bytes)
//   --timeout-smtp S     seconds to wait for each SMTP reply (default 10)
//
// Output (stdout): the dialogue as a C:/S: transcript.
//   - SMTP lines as "C: EHLO ..." / "S: 250-..." (CR LF removed)
//   - binary turns as lowercase hex, 16 bytes per line, single spaces, each
//     line prefixed "C: " or "S: "; consecutive reads in one direction form
//     one turn
//   - "# " comment lines saying what was sent, when the server answered, and
//     how the connection ended
// Exit status: 0 when the dialogue ran (whatever the server answered),
// 1 on a connection or protocol failure before FILE could be sent, 2 on usage.
//
// Only Node's standard library is used.

import net from 'node:net';
import { readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { setTimeout, clearTimeout } from 'node:timers';

// ------------------------------------------------------------ arguments

function usage(msg) {
  if (msg) process.stderr.write(`send-after-starttls: ${msg}\n`);
  process.stderr.write('usage: node tools/send-after-starttls.mjs [--ehlo NAME] [--starttls-line TXT] [--send-anyway] [--no-wait] [--timeout-smtp S] HOST PORT FILE [SECONDS]\n');
  process.exit(2);
}

const opts = { ehlo: 'client.example.test', starttls: 'STARTTLS', sendAnyway: false, noWait: false, smtpTimeout: 10 };
const pos = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
  if (a === '--ehlo') opts.ehlo = val();
  else if (a === '--starttls-line') opts.starttls = val();
  else if (a === '--send-anyway') opts.sendAnyway = true;
  else if (a === '--no-wait') opts.noWait = true;
  else if (a === '--timeout-smtp') opts.smtpTimeout = Number(val());
  else if (a === '-h' || a === '--help') usage();
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else pos.push(a);
}
if (pos.length < 3 || pos.length > 4) usage();
const [host, portText, file, secondsText] = pos;
const port = Number(portText);
const waitSeconds = secondsText === undefined ? 3 : Number(secondsText);
if (!Number.isInteger(port) || port <= 0 || port > 65535) usage(`bad port ${portText}`);
if (!(waitSeconds >= 0)) usage(`bad SECONDS ${secondsText}`);
let payload;
try {
  payload = readFileSync(file);
} catch (err) {
  usage(`cannot read ${file}: ${err.code ?? err.message}`);
}

// ------------------------------------------------------------- transcript

/** Events in order: {dir:'C'|'S', line} | {dir, bytes} | {comment}. */
const events = [];
const note = (text) => events.push({ comment: text });
const line = (dir, text) => events.push({ dir, line: text });
const bytes = (dir, buf) => {
  const last = events[events.length - 1];
  if (last && last.dir === dir && last.bytes) last.bytes = Buffer.concat([last.bytes, buf]);
  else events.push({ dir, bytes: Buffer.from(buf) });
};

function render() {
  const out = [];
  for (const e of events) {
    if (e.comment !== undefined) out.push(`# ${e.comment}`);
    else if (e.line !== undefined) out.push(`${e.dir}: ${e.line}`);
    else {
      for (let i = 0; i < e.bytes.length; i += 16) {
        const row = Array.from(e.bytes.subarray(i, i + 16), (x) => x.toString(16).padStart(2, '0')).join(' ');
        out.push(`${e.dir}: ${row}`);
      }
    }
  }
  return out.join('\n') + '\n';
}

let finished = false;
function finish(code) {
  if (finished) return;
  finished = true;
  process.stdout.write(render(), () => process.exit(code));
}

const secs = (t0) => ((performance.now() - t0) / 1000).toFixed(3);

// ------------------------------------------------------------- the dialogue

const sock = net.connect({ host, port });
sock.setNoDelay(true);
let inbuf = Buffer.alloc(0);
let closed = false;
let waiter = null; // resolves when new data or close arrives

sock.on('data', (d) => {
  inbuf = Buffer.concat([inbuf, d]);
  if (waiter) waiter();
});
sock.on('end', () => { closed = true; if (waiter) waiter(); });
sock.on('close', () => { closed = true; if (waiter) waiter(); });
let connected = false;
sock.once('connect', () => { connected = true; });
sock.on('error', (err) => {
  closed = true;
  // Before the connection is up, main() reports the error itself.
  if (connected) note(`socket error: ${err.code ?? err.message}`);
  if (waiter) waiter();
});

/** Wait until data arrives, the peer closes, or `ms` pass. */
function wait(ms) {
  return new Promise((res) => {
    const t = setTimeout(() => { waiter = null; res(); }, ms);
    waiter = () => { clearTimeout(t); waiter = null; res(); };
  });
}

/** A complete SMTP reply line at the start of inbuf, or null. */
function takeReplyLine() {
  const i = inbuf.indexOf('\n');
  if (i < 0) return null;
  const raw = inbuf.subarray(0, i + 1);
  const text = raw.toString('latin1').replace(/\r?\n$/, '');
  if (!/^\d{3}([ -]|$)/.test(text)) return null; // not SMTP text
  inbuf = inbuf.subarray(i + 1);
  return text;
}

/** Read one (possibly multi-line) SMTP reply; returns its code or null. */
async function readReply(what) {
  const deadline = performance.now() + opts.smtpTimeout * 1000;
  for (;;) {
    const text = takeReplyLine();
    if (text !== null) {
      line('S', text);
      if (text.length === 3 || text[3] === ' ') return Number(text.slice(0, 3));
      continue;
    }
    if (inbuf.length && inbuf.indexOf('\n') >= 0) {
      // A complete line that is not SMTP: the server is not speaking SMTP.
      note(`server sent non-SMTP data while waiting for the ${what} reply`);
      return null;
    }
    if (closed) { note(`server closed the connection while waiting for the ${what} reply`); return null; }
    const left = deadline - performance.now();
    if (left <= 0) { note(`no complete ${what} reply within ${opts.smtpTimeout}s`); return null; }
    await wait(left);
  }
}

function send(text) {
  line('C', text);
  sock.write(text + '\r\n');
}

/** After the payload: collect everything the server sends, for the given time. */
async function collectAnswer(t0, smtpFirst) {
  const end = t0 + waitSeconds * 1000;
  let first = null;
  let total = 0;
  let replies = 0;
  let smtp = smtpFirst;
  for (;;) {
    if (inbuf.length) {
      if (first === null) first = secs(t0);
      // While no 220 to STARTTLS has been seen, the server is still speaking
      // SMTP: print whole reply lines as text, the rest as hex.
      while (smtp) {
        const text = takeReplyLine();
        if (text === null) break;
        line('S', text);
        replies++;
        if (/^220[ ]/.test(text)) smtp = false; // the late 220: TLS from here on
      }
      if (inbuf.length && !(smtp && inbuf.indexOf('\n') < 0 && /^\d{0,3}$/.test(inbuf.toString('latin1')))) {
        total += inbuf.length;
        bytes('S', inbuf);
        inbuf = Buffer.alloc(0);
      }
    }
    const answered = () => {
      if (first === null) note('server sent nothing');
      else note(`server answered after ${first}s (${replies ? `${replies} SMTP reply lines, ` : ''}${total} binary bytes)`);
    };
    if (closed) {
      answered();
      note(`server closed the connection after ${secs(t0)}s`);
      return;
    }
    const left = end - performance.now();
    if (left <= 0) {
      answered();
      note(`server still silent after ${waitSeconds}s with the connection open; client closed it`);
      return;
    }
    await wait(left);
  }
}

async function main() {
  await new Promise((res, rej) => { sock.once('connect', res); sock.once('error', rej); });
  note(`connected to ${host}:${port}`);
  if ((await readReply('greeting')) !== 220) return finish(1);
  send(`EHLO ${opts.ehlo}`);
  if ((await readReply('EHLO')) !== 250) return finish(1);

  if (opts.noWait) {
    line('C', opts.starttls);
    note(`sending ${payload.length} raw bytes from ${file} in the same write as ${JSON.stringify(opts.starttls)}, without waiting for its reply`);
    bytes('C', payload);
    const t0 = performance.now();
    sock.write(Buffer.concat([Buffer.from(opts.starttls + '\r\n'), payload]));
    await collectAnswer(t0, true);
  } else {
    send(opts.starttls);
    const code = await readReply('STARTTLS');
    if (code !== 220 && !opts.sendAnyway) {
      note(`STARTTLS was not accepted (${code ?? 'no reply'}); not sending ${file}`);
      if (!closed) { send('QUIT'); await readReply('QUIT'); }
      return finish(code === null ? 1 : 0);
    }
    if (code !== 220) note(`STARTTLS was answered with ${code ?? 'no reply'}; sending the bytes anyway (--send-anyway)`);
    note(`sending ${payload.length} raw bytes from ${file}`);
    bytes('C', payload);
    const t0 = performance.now();
    sock.write(payload);
    await collectAnswer(t0, code !== 220);
  }
  sock.destroy();
  finish(0);
}

main().catch((err) => {
  note(`error: ${err.code ?? err.message}`);
  finish(1);
});

// Preloaded (node --require) into the CLI and the language server by noNetwork.test.ts:
// every way to open a connection, resolve a name or start a process is replaced by a stub
// that writes a marker to stderr (in case the caller swallows the exception) and throws.
// The server's own stdio is untouched: pipes on inherited descriptors never call connect.
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload is CommonJS */
'use strict';
const MARK = 'SMTPTLS-FORBIDDEN-CALL';
function stub(name) {
  return function forbidden() {
    try {
      require('fs').writeSync(2, `${MARK} ${name}\n`);
    } catch {
      // stderr closed: the throw below still stops the call
    }
    throw new Error(`${MARK}: ${name} is not allowed while analysing logs`);
  };
}
const net = require('net');
net.connect = stub('net.connect');
net.createConnection = stub('net.createConnection');
net.Socket.prototype.connect = stub('net.Socket.connect');
const tls = require('tls');
tls.connect = stub('tls.connect');
for (const mod of ['http', 'https']) {
  const m = require(mod);
  m.request = stub(`${mod}.request`);
  m.get = stub(`${mod}.get`);
}
const dns = require('dns');
for (const f of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveMx', 'resolveTxt', 'reverse']) dns[f] = stub(`dns.${f}`);
if (dns.promises) for (const f of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveMx', 'resolveTxt', 'reverse']) dns.promises[f] = stub(`dns.promises.${f}`);
const cp = require('child_process');
for (const f of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) cp[f] = stub(`child_process.${f}`);
if (typeof globalThis.fetch === 'function') globalThis.fetch = stub('fetch');
if (typeof globalThis.WebSocket === 'function') globalThis.WebSocket = stub('WebSocket');

// Entry point test-electron passes as --extensionTestsPath: runs every e2e/suite/*.test.js with mocha
// inside the extension host and writes the counts to E2E_RESULT_FILE for e2e/run.sh.
'use strict';
const path = require('path');
const fs = require('fs');
const Mocha = require('mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  const only = process.env.E2E_GREP;
  if (only) mocha.grep(only);
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats || {};
        const res = { passed: stats.passes || 0, failed: stats.failures || 0, pending: stats.pending || 0 };
        if (process.env.E2E_RESULT_FILE) fs.writeFileSync(process.env.E2E_RESULT_FILE, JSON.stringify(res));
        if (failures > 0) reject(new Error(`${failures} e2e test(s) failed`));
        else resolve();
      });
    } catch (e) {
      if (process.env.E2E_RESULT_FILE) fs.writeFileSync(process.env.E2E_RESULT_FILE, JSON.stringify({ passed: 0, failed: 1, error: String(e) }));
      reject(e);
    }
  });
};

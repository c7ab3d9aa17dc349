// Regenerates, from the rule catalog (server/src/core/rules/catalog.ts):
//   README.md      the table between <!-- rules:start --> and <!-- rules:end -->
//   docs/rules.md  the reference between <!-- rules-reference:start --> and <!-- rules-reference:end -->
//   package.json   contributes.configuration.properties smtpTls.port and smtpTls.rules.<id>
// Usage: npx tsx scripts/gen-rule-docs.ts [--check]   (--check: exit 1 when a file would change)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DOCS_MARKERS,
  README_MARKERS,
  buildRuleSettings,
  mergeRuleSettings,
  renderRuleReference,
  renderRuleTable,
  replaceBetweenMarkers,
} from '../server/src/core/rules/ruleDocs';

const root = join(__dirname, '..');
const check = process.argv.includes('--check');
let stale = 0;

function update(rel: string, next: (text: string) => string): void {
  const file = join(root, rel);
  const text = readFileSync(file, 'utf8');
  const out = next(text);
  if (out === text) return;
  stale++;
  if (check) console.error(`${rel} is out of date with the rule catalog`);
  else {
    writeFileSync(file, out);
    console.log(`updated ${rel}`);
  }
}

update('README.md', (t) => replaceBetweenMarkers(t, README_MARKERS, renderRuleTable()));
update('docs/rules.md', (t) => replaceBetweenMarkers(t, DOCS_MARKERS, renderRuleReference()));
update('package.json', (t) => {
  const pkg = JSON.parse(t);
  const props = pkg.contributes.configuration.properties;
  pkg.contributes.configuration.properties = mergeRuleSettings(props, buildRuleSettings());
  return JSON.stringify(pkg, null, 2) + '\n';
});
if (check && stale > 0) {
  console.error('run: npx tsx scripts/gen-rule-docs.ts');
  process.exit(1);
}

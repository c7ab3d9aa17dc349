// Builds the .vsix offline: minified bundles, then vsce with a README made for the
// extension page (relative images and links of the repository README point nowhere
// inside a .vsix, and vsce refuses them without a repository URL).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(process.execPath, ['scripts/build.mjs', '--minify']);

const readme = readFileSync('README.md', 'utf8')
  // ![alt](relative.svg) → a note naming the file in the repository
  .replace(/!\[([^\]]*)\]\((?!https?:)([^)]+)\)/g, '*$1: see `$2` in the repository.*')
  // [text](relative) → text (`relative`)
  .replace(/(?<!!)\[([^\]]+)\]\((?!https?:|#)([^)]+)\)/g, '$1 (`$2`)');
mkdirSync('dist', { recursive: true });
writeFileSync('dist/README.md', readme);

run('npx', [
  'vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license',
  '--readme-path', 'dist/README.md', '-o', 'smtp-tls-transcripts.vsix',
]);

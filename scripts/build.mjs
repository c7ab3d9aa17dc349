// Bundles the three entry points (extension client, language server, CLI) with esbuild.
// Usage: node scripts/build.mjs [--watch] [--minify]
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: true,
  minify,
  logLevel: 'warning',
  external: ['vscode'],
};

const entries = [
  // The extension's main: what activation evaluates, kept small (issue 10: activation ≤ 50 ms).
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client/extension.js' },
  // vscode-languageclient, loaded by extension.ts with require() after activate() has returned.
  { entryPoints: ['client/src/languageClient.ts'], outfile: 'dist/client/languageClient.js' },
  // The capture import (and key log decryption), loaded by captureEditor.ts when a capture is opened.
  { entryPoints: ['client/src/captureImport.ts'], outfile: 'dist/client/captureImport.js' },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli/smtptls.js' },
];

if (watch) {
  for (const e of entries) {
    const ctx = await esbuild.context({ ...common, ...e });
    await ctx.watch();
  }
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
}

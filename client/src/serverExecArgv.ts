/**
 * Node flags of the language server process as the VS Code client starts it (languageClient.ts),
 * shared with the benchmark (bench/lspBench.ts) so that it measures the server as VS Code runs it.
 *
 * `--max-semi-space-size=4`: V8's young generation grows to 2 × 16 MB by default after a burst of
 * allocation (opening a large document analyses every session) and stays committed; capped at
 * 2 × 4 MB it is scavenged more often, so less garbage is promoted to the old generation. Measured
 * back to back on a 20 MB document (bench, LSP section, two runs each): RSS after open 178–189 →
 * 157–162 MB; after the edits and hovers 213–234 MB either way (an earlier pair: 263–272 → 191–205 MB);
 * open, edit and hover times within the run-to-run noise.
 *
 * Then 2 instead of 4 (with the server's old-generation growth at 10%, server.ts): RSS after opening
 * 147–149 → 137 MB (4.3–4.5× → 3.8× the document above the empty server), 40 s idle later 121 MB,
 * after the edits and hovers 154–156 → 146–147 MB; opening 2.29–2.30 → 2.36–2.61 s, edit and hover
 * times within the noise (bench, LSP section, two quick runs each, back to back).
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=2'];

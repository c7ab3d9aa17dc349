/**
 * "SMTP/TLS: Show session diagram": a webview beside the transcript that hosts the
 * ladder diagram the language server draws (smtpTls/sessionDiagram). Clicking an
 * arrow reveals its line; edits and cursor moves redraw it (debounced); colours
 * come from the editor theme through --vscode-* variables. The page loads nothing
 * remote: default-src 'none', style and script only with a per-page nonce.
 */
import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { SessionDiagramResult } from '../../server/src/features/sessionDiagram';

export const SHOW_DIAGRAM_COMMAND = 'smtpTls.showSessionDiagram';
const REQUEST = 'smtpTls/sessionDiagram';
const REFRESH_DELAY_MS = 300;

/** The answer's shape is declared once, next to the server handler (a type-only import: no server code is bundled). */
type DiagramResult = SessionDiagramResult;

/** What the command returns (for tests and other extensions). */
export interface DiagramSummary {
  uri: string;
  sessionIndex: number;
  sessionCount: number;
  eventCount: number;
}

export function registerDiagramPanel(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient | undefined>): void {
  let view: DiagramView | undefined;
  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_DIAGRAM_COMMAND, async (): Promise<DiagramSummary | undefined> => {
      const editor = vscode.window.activeTextEditor;
      const client = await getClient();
      if (!editor || editor.document.languageId !== 'smtp-transcript' || !client) {
        void vscode.window.showInformationMessage('Open an SMTP/TLS transcript to see its session diagram.');
        return undefined;
      }
      if (!view || view.disposed) view = new DiagramView(client, editor);
      else view.track(editor);
      return view.refresh();
    }),
    { dispose: () => view?.dispose() },
  );
}

class DiagramView {
  private readonly panel: vscode.WebviewPanel;
  private readonly nonce = crypto.randomBytes(16).toString('base64');
  private readonly listeners: vscode.Disposable[] = [];
  private document: vscode.TextDocument;
  private position: vscode.Position;
  private column: vscode.ViewColumn | undefined;
  private latest: DiagramResult | undefined;
  private htmlCss: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  disposed = false;

  constructor(
    private readonly client: LanguageClient,
    editor: vscode.TextEditor,
  ) {
    this.document = editor.document;
    this.position = editor.selection.active;
    this.column = editor.viewColumn;
    this.panel = vscode.window.createWebviewPanel(
      'smtpTls.sessionDiagram',
      this.title(),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [] },
    );
    this.panel.onDidDispose(() => this.dispose(), undefined, this.listeners);
    this.panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), undefined, this.listeners);
    vscode.workspace.onDidChangeTextDocument((e) => e.document === this.document && this.schedule(), undefined, this.listeners);
    vscode.window.onDidChangeTextEditorSelection(
      (e) => {
        if (e.textEditor.document !== this.document) return;
        this.position = e.selections[0]?.active ?? this.position;
        this.column = e.textEditor.viewColumn ?? this.column;
        this.schedule();
      },
      undefined,
      this.listeners,
    );
    vscode.workspace.onDidCloseTextDocument((d) => d === this.document && this.panel.dispose(), undefined, this.listeners);
  }

  track(editor: vscode.TextEditor): void {
    this.document = editor.document;
    this.position = editor.selection.active;
    this.column = editor.viewColumn;
    this.panel.title = this.title();
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  async refresh(): Promise<DiagramSummary | undefined> {
    let result: DiagramResult | null | undefined;
    try {
      result = await this.client.sendRequest<DiagramResult | null>(REQUEST, {
        uri: this.document.uri.toString(),
        position: { line: this.position.line, character: this.position.character },
      });
    } catch {
      result = undefined;
    }
    if (this.disposed || !result) return undefined;
    this.latest = result;
    if (this.htmlCss !== result.css) {
      // The page is rebuilt only when the stylesheet changes; diagrams arrive as messages.
      this.htmlCss = result.css;
      this.panel.webview.html = buildHtml(result.css, this.nonce);
    } else {
      this.post();
    }
    return { uri: this.document.uri.toString(), sessionIndex: result.sessionIndex, sessionCount: result.sessionCount, eventCount: result.events.length };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.listeners.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private title(): string {
    return `Diagram: ${path.basename(this.document.uri.path)}`;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, REFRESH_DELAY_MS);
  }

  /** Sends the latest diagram, with the arrow nearest above the cursor selected. */
  private post(): void {
    if (!this.latest) return;
    let selected = -1;
    for (const e of this.latest.events) if (e.line <= this.position.line) selected = e.id;
    void this.panel.webview.postMessage({ type: 'diagram', svg: this.latest.svg, selected, sessionIndex: this.latest.sessionIndex });
  }

  private onMessage(message: unknown): void {
    const m = message as { type?: unknown; id?: unknown };
    if (m?.type === 'ready') {
      this.post();
      return;
    }
    if (m?.type !== 'reveal' || typeof m.id !== 'number') return;
    const event = this.latest?.events.find((e) => e.id === m.id);
    if (!event) return;
    const line = Math.min(event.line, this.document.lineCount - 1);
    const range = new vscode.Range(line, 0, line, 0);
    void vscode.window.showTextDocument(this.document, { viewColumn: this.column, selection: range, preserveFocus: false }).then((editor) => {
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    });
  }
}

/** The page: the ladder stylesheet and a small script, both under the nonce; nothing else may load. */
function buildHtml(css: string, nonce: string): string {
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Session diagram</title>
<style nonce="${nonce}">
html, body { margin: 0; padding: 0; background: var(--vscode-editor-background); color: var(--vscode-editor-foreground); }
#diagram { padding: 4px; overflow: auto; }
#diagram svg { display: block; }
#diagram.fit svg { width: 100%; height: auto; }
#toolbar { position: sticky; top: 0; padding: 4px; background: var(--vscode-editor-background); z-index: 1; }
#toolbar button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: 0; padding: 2px 8px; cursor: pointer; }
${css.replace(/<\//g, '<\\/')}
</style>
</head>
<body>
<div id="toolbar"><button id="fit" type="button" aria-pressed="false" title="Scale the diagram to the panel width">Fit to width</button></div>
<div id="diagram" role="region" aria-label="Session diagram"></div>
<script nonce="${nonce}">
(function () {
  const vscode = acquireVsCodeApi();
  const host = document.getElementById('diagram');
  let shown = '';
  let session = -1;
  function select(id) {
    for (const g of host.querySelectorAll('.event.selected')) g.classList.remove('selected');
    const g = host.querySelector('[data-event-id="' + id + '"]');
    if (g) g.classList.add('selected');
  }
  window.addEventListener('message', function (e) {
    const m = e.data;
    if (!m || m.type !== 'diagram' || typeof m.svg !== 'string') return;
    if (m.svg !== shown) {
      const top = window.scrollY;
      host.innerHTML = m.svg;
      shown = m.svg;
      if (m.sessionIndex === session) window.scrollTo(0, top);
      session = m.sessionIndex;
    }
    select(m.selected);
  });
  function reveal(target) {
    const g = target && target.closest ? target.closest('[data-event-id]') : null;
    if (g) vscode.postMessage({ type: 'reveal', id: Number(g.getAttribute('data-event-id')) });
  }
  host.addEventListener('click', function (e) { reveal(e.target); });
  // Narrow panels: the drawing is 1000 px wide; scaling it to the panel keeps both lanes in view.
  const fit = document.getElementById('fit');
  const state = vscode.getState() || {};
  function applyFit(on) {
    host.classList.toggle('fit', on);
    fit.setAttribute('aria-pressed', String(on));
    fit.textContent = on ? 'Actual size' : 'Fit to width';
    vscode.setState({ fit: on });
  }
  applyFit(state.fit !== undefined ? state.fit : window.innerWidth < 1000);
  fit.addEventListener('click', function () { applyFit(!host.classList.contains('fit')); });
  host.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); reveal(e.target); }
  });
  vscode.postMessage({ type: 'ready' });
})();
</script>
</body>
</html>`;
}

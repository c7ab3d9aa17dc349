/**
 * Draws a ladder as SVG: client and server lanes, one `<g class="event">` per
 * event holding a `<title>`, a label and one arrow line with a marker; the
 * TLS phase shaded, the STARTTLS boundary as a rule, findings in colour with
 * their rule ids. Rows have a fixed height, so 200 events make a tall drawing
 * with nothing overlapping. Colours are CSS variables that fall back from the
 * editor's `--vscode-*` variables to a light palette, so the same drawing
 * follows the theme in a webview and stands alone as a file.
 */
import type { Severity } from '../rules/types';
import type { Ladder, LadderEvent, LadderFinding, LadderNote } from './ladder';
import { escapeXml } from './xml';

export interface LadderSvgOptions {
  /** Shown in the heading (a file name, say). */
  readonly title?: string;
  /**
   * Put the stylesheet inside the SVG (default). A webview with a strict content
   * security policy passes false and adds `buildLadderStylesheet()` itself, with its nonce.
   */
  readonly embedStyle?: boolean;
}

export const LADDER_WIDTH = 1000;
export const EVENT_ROW_HEIGHT = 34;
export const NOTE_ROW_HEIGHT = 24;
const HEADER_HEIGHT = 72;
const FOOTER_ROW_HEIGHT = 18;
const CLIENT_X = 130;
const SERVER_X = 600;
const FINDINGS_X = SERVER_X + 16;
/** Approximate advance of one monospace character at the label and finding font sizes. */
const LABEL_CHAR_WIDTH = 7.3;
const FINDING_CHAR_WIDTH = 6.7;
const LABEL_MAX_CHARS = Math.floor((SERVER_X - CLIENT_X - 16) / LABEL_CHAR_WIDTH);
const FINDING_MAX_CHARS = Math.floor((LADDER_WIDTH - FINDINGS_X - 8) / FINDING_CHAR_WIDTH);

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

/** The stylesheet of the drawing; every colour is a variable with a light default. */
export function buildLadderStylesheet(): string {
  return `
.ladder {
  --ladder-bg: var(--vscode-editor-background, #ffffff);
  --ladder-fg: var(--vscode-editor-foreground, #1f2328);
  --ladder-muted: var(--vscode-descriptionForeground, #59636e);
  --ladder-lane: var(--vscode-editorLineNumber-foreground, #8c959f);
  --ladder-head-bg: var(--vscode-sideBar-background, #f6f8fa);
  --ladder-client: var(--vscode-charts-blue, #0969da);
  --ladder-server: var(--vscode-charts-purple, #8250df);
  --ladder-tls-bg: var(--vscode-diffEditor-insertedLineBackground, rgba(31, 136, 61, 0.08));
  --ladder-tls: var(--vscode-charts-green, #1a7f37);
  --ladder-error: var(--vscode-editorError-foreground, #cf222e);
  --ladder-warning: var(--vscode-editorWarning-foreground, #9a6700);
  --ladder-information: var(--vscode-editorInfo-foreground, #0969da);
  --ladder-hint: var(--vscode-editorHint-foreground, #57606a);
  --ladder-hover: var(--vscode-list-hoverBackground, rgba(9, 105, 218, 0.08));
  --ladder-selected: var(--vscode-editor-selectionHighlightBackground, rgba(9, 105, 218, 0.16));
  --ladder-focus: var(--vscode-focusBorder, #0969da);
  --ladder-font: var(--vscode-editor-font-family, ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace);
  font-family: var(--ladder-font);
  font-size: 12px;
}
.ladder .bg { fill: var(--ladder-bg); }
.ladder text { fill: var(--ladder-fg); }
.ladder .heading { font-size: 13px; font-weight: 600; }
.ladder .subheading, .ladder .line-no, .ladder .note text, .ladder .empty { fill: var(--ladder-muted); }
.ladder .lane-head rect { fill: var(--ladder-head-bg); stroke: var(--ladder-lane); }
.ladder .lane-head text { font-weight: 600; text-anchor: middle; }
.ladder .lifeline { stroke: var(--ladder-lane); stroke-dasharray: 3 4; }
.ladder .tls-phase { fill: var(--ladder-tls-bg); stroke: var(--ladder-tls); stroke-opacity: 0.5; }
.ladder .tls-phase-label { fill: var(--ladder-tls); font-weight: 600; }
.ladder .starttls line { stroke: var(--ladder-tls); stroke-width: 1.5; stroke-dasharray: 8 4; }
.ladder .starttls text { fill: var(--ladder-tls); font-weight: 600; }
.ladder .note text { font-style: italic; text-anchor: middle; }
.ladder .line-no { text-anchor: end; font-size: 11px; }
.ladder .label { text-anchor: middle; }
.ladder .arrow { stroke: var(--ladder-fg); stroke-width: 1.5; fill: none; }
.ladder .from-client .arrow { stroke: var(--ladder-client); }
.ladder .from-server .arrow { stroke: var(--ladder-server); }
.ladder .from-unknown .arrow { stroke: var(--ladder-muted); }
.ladder .opaque .arrow { stroke-dasharray: 6 3; }
.ladder .sev-error .arrow { stroke: var(--ladder-error); stroke-width: 2.5; }
.ladder .sev-warning .arrow { stroke: var(--ladder-warning); stroke-width: 2.5; }
.ladder .sev-information .arrow { stroke: var(--ladder-information); stroke-width: 2; }
.ladder .sev-hint .arrow { stroke: var(--ladder-hint); stroke-width: 2; }
.ladder .head-client { fill: var(--ladder-client); }
.ladder .head-server { fill: var(--ladder-server); }
.ladder .head-unknown { fill: var(--ladder-muted); }
.ladder .head-error { fill: var(--ladder-error); }
.ladder .head-warning { fill: var(--ladder-warning); }
.ladder .head-information { fill: var(--ladder-information); }
.ladder .head-hint { fill: var(--ladder-hint); }
.ladder .finding { font-size: 11px; font-weight: 600; }
.ladder .finding.sev-error, .ladder .sev-error .finding { fill: var(--ladder-error); }
.ladder .finding.sev-warning, .ladder .sev-warning .finding { fill: var(--ladder-warning); }
.ladder .finding.sev-information, .ladder .sev-information .finding { fill: var(--ladder-information); }
.ladder .finding.sev-hint, .ladder .sev-hint .finding { fill: var(--ladder-hint); }
.ladder .hit { fill: transparent; }
.ladder .event { cursor: pointer; }
.ladder .event:hover .hit { fill: var(--ladder-hover); }
.ladder .event.selected .hit { fill: var(--ladder-selected); }
.ladder .event:focus { outline: none; }
.ladder .event:focus .hit { stroke: var(--ladder-focus); stroke-width: 1; }
`;
}

/** The ladder as a standalone SVG document (or an SVG element for a webview). */
export function renderLadderSvg(ladder: Ladder, options: LadderSvgOptions = {}): string {
  const body: string[] = [];
  const rows = layoutRows(ladder);
  let y = HEADER_HEIGHT;
  const placed: { row: Row; top: number }[] = [];
  for (const row of rows) {
    placed.push({ row, top: y });
    y += row.kind === 'event' ? EVENT_ROW_HEIGHT : NOTE_ROW_HEIGHT;
  }
  const rowsBottom = y;
  if (ladder.events.length === 0) y += EVENT_ROW_HEIGHT;
  const footerTop = y + (ladder.unplaced.length > 0 ? 12 : 0);
  const height = footerTop + ladder.unplaced.length * FOOTER_ROW_HEIGHT + 16;

  // TLS phase: from the first event inside TLS (or the note that announced it) to the last row.
  const tlsTop = findTlsTop(ladder, placed);
  if (tlsTop !== null) {
    body.push(`<rect class="tls-phase" x="56" y="${tlsTop}" width="${LADDER_WIDTH - 64}" height="${rowsBottom - tlsTop + 4}" rx="4"/>`);
    body.push(`<text class="tls-phase-label" x="62" y="${tlsTop + 14}">TLS</text>`);
  }
  body.push(`<line class="lifeline" x1="${CLIENT_X}" y1="${HEADER_HEIGHT - 14}" x2="${CLIENT_X}" y2="${rowsBottom + 4}"/>`);
  body.push(`<line class="lifeline" x1="${SERVER_X}" y1="${HEADER_HEIGHT - 14}" x2="${SERVER_X}" y2="${rowsBottom + 4}"/>`);
  for (const { row, top } of placed) body.push(row.kind === 'event' ? drawEvent(row.event, top) : drawNote(row.note, top));
  if (ladder.events.length === 0) {
    const why = ladder.sessionCount === 0 ? 'No SMTP or TLS session found in this document.' : 'This session has no SMTP or TLS events.';
    body.push(`<text class="empty" x="${(CLIENT_X + SERVER_X) / 2}" y="${rowsBottom + 22}" text-anchor="middle">${escapeXml(why)}</text>`);
  }
  ladder.unplaced.forEach((f, k) => {
    const text = `line ${f.line + 1}: ${f.severity} ${f.rule}: ${f.message}`;
    body.push(
      `<text class="finding sev-${f.severity}" x="16" y="${footerTop + (k + 1) * FOOTER_ROW_HEIGHT - 4}"><title>${escapeXml(text)}</title>${escapeXml(truncate(text, Math.floor((LADDER_WIDTH - 24) / FINDING_CHAR_WIDTH)))}</text>`,
    );
  });

  const heading = buildHeading(ladder, options.title);
  const findingCount = ladder.events.reduce((n, e) => n + e.findings.length, 0) + ladder.unplaced.length;
  const description = `Ladder diagram: ${ladder.events.length} events between client and server, ${findingCount} finding${findingCount === 1 ? '' : 's'}.`;
  const head = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="ladder" width="${LADDER_WIDTH}" height="${height}" viewBox="0 0 ${LADDER_WIDTH} ${height}" role="img" aria-labelledby="ladder-title ladder-desc">`,
    `<title id="ladder-title">${escapeXml(heading.title)}</title>`,
    `<desc id="ladder-desc">${escapeXml(description)}</desc>`,
  ];
  if (options.embedStyle !== false) head.push(`<style>${buildLadderStylesheet()}</style>`);
  head.push(drawMarkers());
  head.push(`<rect class="bg" x="0" y="0" width="${LADDER_WIDTH}" height="${height}"/>`);
  head.push(`<text class="heading" x="16" y="20">${escapeXml(truncate(heading.title, 110))}</text>`);
  head.push(`<text class="subheading" x="16" y="36">${escapeXml(heading.subtitle)}</text>`);
  head.push(drawLaneHead('Client', CLIENT_X), drawLaneHead('Server', SERVER_X));
  return [...head, ...body, '</svg>', ''].join('\n');
}

type Row = { kind: 'event'; event: LadderEvent } | { kind: 'note'; note: LadderNote };

function layoutRows(ladder: Ladder): Row[] {
  const rows: Row[] = [];
  let n = 0;
  const notes = ladder.notes;
  while (n < notes.length && notes[n].afterEventId < 0) rows.push({ kind: 'note', note: notes[n++] });
  for (const event of ladder.events) {
    rows.push({ kind: 'event', event });
    while (n < notes.length && notes[n].afterEventId <= event.id) rows.push({ kind: 'note', note: notes[n++] });
  }
  while (n < notes.length) rows.push({ kind: 'note', note: notes[n++] });
  return rows;
}

function findTlsTop(ladder: Ladder, placed: readonly { row: Row; top: number }[]): number | null {
  if (ladder.tlsStartId === null) return null;
  let top: number | null = null;
  for (let k = 0; k < placed.length; k++) {
    const { row } = placed[k];
    if (row.kind === 'event' && row.event.id === ladder.tlsStartId) {
      top = placed[k].top;
      // A tool's "TLS started" note right before belongs inside the shading.
      while (k > 0 && placed[k - 1].row.kind === 'note' && (placed[k - 1].row as { note: LadderNote }).note.kind === 'note') {
        k--;
        top = placed[k].top;
      }
      break;
    }
  }
  return top;
}

function buildHeading(ladder: Ladder, title: string | undefined): { title: string; subtitle: string } {
  const session = ladder.sessionCount > 0 ? `session ${ladder.sessionIndex + 1} of ${ladder.sessionCount}` : 'no session';
  const t = title ? `${title}: ${session}` : `SMTP/TLS ${session}`;
  const counts = countBySeverity(ladder);
  const findings = counts.length > 0 ? counts.join(', ') : 'no findings';
  const lines = ladder.events.length > 0 ? `lines ${ladder.startLine + 1}–${ladder.endLine + 1} · ` : '';
  return { title: t, subtitle: `${lines}${ladder.events.length} event${ladder.events.length === 1 ? '' : 's'} · ${findings}` };
}

function countBySeverity(ladder: Ladder): string[] {
  const all: LadderFinding[] = [...ladder.unplaced];
  for (const e of ladder.events) all.push(...e.findings);
  return SEVERITY_ORDER.map((s) => [s, all.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 || s === 'information' ? '' : 's'}`);
}

function drawLaneHead(name: string, x: number): string {
  return `<g class="lane-head"><rect x="${x - 50}" y="${HEADER_HEIGHT - 30}" width="100" height="22" rx="4"/><text x="${x}" y="${HEADER_HEIGHT - 15}">${name}</text></g>`;
}

function drawMarkers(): string {
  const heads = ['client', 'server', 'unknown', ...SEVERITY_ORDER].map(
    (k) =>
      `<marker id="ladder-head-${k}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto"><path class="head-${k}" d="M0,0 L10,5 L0,10 z"/></marker>`,
  );
  const dot = `<marker id="ladder-dot" viewBox="0 0 10 10" refX="5" refY="5" markerUnits="userSpaceOnUse" markerWidth="8" markerHeight="8"><circle class="head-unknown" cx="5" cy="5" r="4"/></marker>`;
  return `<defs>${heads.join('')}${dot}</defs>`;
}

function worstSeverity(findings: readonly LadderFinding[]): Severity | null {
  for (const s of SEVERITY_ORDER) if (findings.some((f) => f.severity === s)) return s;
  return null;
}

function drawEvent(event: LadderEvent, top: number): string {
  const severity = worstSeverity(event.findings);
  const from = event.from ?? 'unknown';
  const classes = ['event', `kind-${event.kind}`, `from-${from}`, `sev-${severity ?? 'none'}`];
  if (event.opaque) classes.push('opaque');
  const arrowY = top + 24;
  const [x1, x2] = event.from === 'server' ? [SERVER_X, CLIENT_X + 2] : [CLIENT_X, SERVER_X - 2];
  const marker = event.from === null ? 'marker-start="url(#ladder-dot)" marker-end="url(#ladder-dot)"' : `marker-end="url(#ladder-head-${severity ?? from})"`;
  const direction = event.from === 'client' ? 'client → server' : event.from === 'server' ? 'server → client' : 'direction not shown';
  const label = event.from === null ? `${event.label} (direction not shown)` : event.label;
  const tooltip = [`line ${event.line + 1}, ${direction}: ${event.label}`];
  if (event.detail) tooltip.push(event.detail);
  for (const f of event.findings) tooltip.push(`${f.severity} ${f.rule}: ${f.message}`);
  const parts = [
    `<g class="${classes.join(' ')}" id="ladder-event-${event.id}" data-event-id="${event.id}" data-line="${event.line}" tabindex="0">`,
    `<title>${escapeXml(tooltip.join('\n'))}</title>`,
    `<rect class="hit" x="0" y="${top}" width="${LADDER_WIDTH}" height="${EVENT_ROW_HEIGHT}"/>`,
    `<text class="line-no" x="44" y="${arrowY + 4}">${event.line + 1}</text>`,
    `<text class="label" x="${(CLIENT_X + SERVER_X) / 2}" y="${top + 16}">${escapeXml(truncate(label, LABEL_MAX_CHARS))}</text>`,
    `<line class="arrow" x1="${x1}" y1="${arrowY}" x2="${x2}" y2="${arrowY}" ${marker}/>`,
  ];
  if (event.findings.length > 0) {
    const lines = packRuleIds([...new Set(event.findings.map((f) => f.rule))]);
    const firstY = lines.length === 1 ? arrowY + 4 : top + 14;
    lines.forEach((text, k) => {
      parts.push(`<text class="finding sev-${severity}" x="${FINDINGS_X}" y="${firstY + k * 13}">${escapeXml(text)}</text>`);
    });
  }
  parts.push('</g>');
  return parts.join('');
}

function drawNote(note: LadderNote, top: number): string {
  if (note.kind === 'starttls') {
    const ruleY = top + NOTE_ROW_HEIGHT - 4;
    const text = truncate(note.text, LABEL_MAX_CHARS + 8);
    return `<g class="starttls" data-line="${note.line}"><line x1="56" y1="${ruleY}" x2="${LADDER_WIDTH - 8}" y2="${ruleY}"/><text x="${(CLIENT_X + SERVER_X) / 2}" y="${ruleY - 5}" text-anchor="middle">${escapeXml(text)}</text></g>`;
  }
  return `<g class="note" data-line="${note.line}"><text x="${(CLIENT_X + SERVER_X) / 2}" y="${top + NOTE_ROW_HEIGHT / 2 + 4}">${escapeXml(truncate(note.text, LABEL_MAX_CHARS))}</text></g>`;
}

/** Rule ids on at most two lines of the findings column; what does not fit is counted ("+2"). */
function packRuleIds(rules: readonly string[]): string[] {
  const lines: string[] = [];
  let k = 0;
  while (k < rules.length && lines.length < 2) {
    let line = (lines.length === 0 ? '● ' : '  ') + rules[k++];
    while (k < rules.length && line.length + 2 + rules[k].length <= FINDING_MAX_CHARS) line += ', ' + rules[k++];
    lines.push(line);
  }
  if (k < rules.length) {
    const more = ` +${rules.length - k}`;
    const last = lines[lines.length - 1];
    lines[lines.length - 1] = truncate(last, FINDING_MAX_CHARS - more.length) + more;
  }
  return lines.map((l) => truncate(l, FINDING_MAX_CHARS));
}

/** Cuts text to `max` characters (code points), ending in an ellipsis when cut; line breaks become spaces. */
function truncate(text: string, max: number): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  const chars = Array.from(flat);
  if (chars.length <= max) return flat;
  return chars.slice(0, Math.max(1, max - 1)).join('') + '…';
}

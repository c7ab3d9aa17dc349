/**
 * The log of the project's fake STARTTLS server (FORMATS.md section 25, project-side):
 *   C: b'EHLO client.feas.test\r\n'            (read by the C:/S: reader)
 *   got record type 22 version 0301 length 292
 *   client sent 7 more bytes then closed: 15030300020246
 * The record line states a record header; the trailing bytes are a client byte run.
 */
import { ByteViewBuilder } from '../bytes/byteView';
import { decodeHexToken } from './hexTokens';
import { headOf, type LineReader, type ReaderContext } from './readerContext';

const GOT_RECORD = /^got record type ([0-9]{1,3}) version ([0-9a-fA-F]{4}) length ([0-9]{1,6})/;
const MORE_BYTES = /^client sent ([0-9]{1,10}) more bytes? then closed: ([0-9a-fA-F]*)$/;

export class FakeServerLogReader implements LineReader {
  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const s = doc.start(i);
    const c = doc.text.charCodeAt(s);
    if (c !== 103 && c !== 99) return -1;
    const head = headOf(doc, i);
    const e = doc.end(i);
    const got = GOT_RECORD.exec(head);
    if (got) {
      out.vote('fakeserver', 1);
      const vs = s + got[0].indexOf(got[2], 20);
      out.add({
        kind: 'stated', line: i, direction: 'client', statedByTool: true, subject: 'record', span: { start: s, end: e }, text: head,
        contentType: Number(got[1]), recordVersion: parseInt(got[2], 16), length: Number(got[3]),
        valueSpans: { recordVersion: { start: vs, end: vs + 4 } },
      });
      return i + 1;
    }
    const more = MORE_BYTES.exec(doc.text.slice(s, Math.min(e, s + 100000)));
    if (more) {
      out.vote('fakeserver', 1);
      const hs = e - more[2].length;
      const builder = new ByteViewBuilder();
      decodeHexToken(doc.text, hs, e - (more[2].length % 2), builder, out);
      out.addBytes({ kind: 'bytes', line: i, endLine: i, direction: 'client', view: builder.build(), layout: 'fakeserver', role: 'stream' });
      out.add({ kind: 'note', line: i, note: 'connection-closed', text: head.slice(0, more[0].length - more[2].length), span: { start: s, end: hs } });
      return i + 1;
    }
    return -1;
  }

  flush(): void {
    // Line by line: nothing pending.
  }
}

/** Text made safe for XML character data and attribute values. */

/**
 * Escapes the five XML specials and replaces what XML 1.0 cannot carry at all
 * (control characters other than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF)
 * with U+FFFD, so any input — binary text included — yields well-formed SVG.
 */
export function escapeXml(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x26) out += '&amp;';
    else if (c === 0x3c) out += '&lt;';
    else if (c === 0x3e) out += '&gt;';
    else if (c === 0x22) out += '&quot;';
    else if (c === 0x27) out += '&#39;';
    else if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) out += '\ufffd';
    else if (c === 0xfffe || c === 0xffff) out += '\ufffd';
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += text[i] + text[i + 1];
        i++;
      } else out += '\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\ufffd';
    else out += text[i];
  }
  return out;
}

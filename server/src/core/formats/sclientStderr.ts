/**
 * What openssl s_client writes on stderr, which `2>&1` mixes into its stdout: the notes of its
 * callbacks (certificate verification, server name), its -state lines, OpenSSL's error lines.
 * Redirected to a file, stderr is written at once and stdout when the run ends, so a run's stderr
 * lines come before its `CONNECTED(...)` line; on a terminal they interleave, even mid-line.
 */

/** The notes s_client's callbacks write on stderr while stdout prints a record (-trace, -debug). */
export const SCLIENT_STDERR_NOTES: readonly string[] = ["Can't use SSL_get_servername", 'depth=', 'verify error:', 'verify return:'];

/** An OpenSSL error line (`4067A0522E7F0000:error:0A000410:SSL routines:...`) starts with the thread id in hex. */
const ERROR_LINE = /^[0-9A-F]{1,16}:error:[0-9A-F]{8}:/;
/** Every line start of s_client's stderr: the notes, -state's lines, its STARTTLS warning. */
const STDERR_STARTS: readonly string[] = [...SCLIENT_STDERR_NOTES, 'SSL_connect:', 'SSL_accept:', 'SSL3 alert ', "didn't find starttls"];

/** Whether text[s, e) is an OpenSSL error line. */
export function isOpensslErrorLine(text: string, s: number, e: number): boolean {
  const c = text.charCodeAt(s);
  return ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46)) && ERROR_LINE.test(text.slice(s, Math.min(e, s + 40)));
}

/**
 * Whether text[s, e) is a line s_client writes on stderr: those before a `CONNECTED(...)` line are
 * that run's (the reader and the chunk cutter give them to the run that follows).
 */
export function isSclientStderrLine(text: string, s: number, e: number): boolean {
  if (e <= s) return false;
  return isOpensslErrorLine(text, s, e) || STDERR_STARTS.some((p) => text.startsWith(p, s));
}

/** The line s_client starts each run's stdout with. */
export const SCLIENT_CONNECTED = 'CONNECTED(';

/**
 * The section header a capture import writes per TCP connection (`# smtptls-session`), and what it
 * adds when the capture starts inside the connection (no SYN). No dependencies: the importer and
 * the reader (detectRegions.ts) both use it.
 */
export const SESSION_MARKER = '# smtptls-session';
export const BEGAN_BEFORE_CAPTURE = 'began-before-capture';

/**
 * Every handshake message of the real sessions in server/test/fixtures/tls (made by
 * make-fixtures.sh) compared field by field with tshark's `-T json` dissection of the same
 * capture, stored next to it (see tsharkCompare.ts). The suite does not need tshark installed.
 * The live stage (test/live) runs the same comparison on sessions made in the test run.
 */
import { join } from 'node:path';
import { registerTlsDifferential } from './tsharkCompare';

registerTlsDifferential(join(__dirname, '..', 'fixtures', 'tls'), { label: 'TLS fixtures', minCases: 9, minFields: 500 });

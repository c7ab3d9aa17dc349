/** Check functions by rule id. A catalogued rule without an entry here is not implemented yet. */
import type { RuleCheck } from '../ruleContext';
import { checkDumpMalformed, checkTlsMalformed, checkTlsTruncated } from './framing';
import { checkHelloVersionBelow31, checkSslv2CompatHello } from './helloVersion';

export const CHECKS: Readonly<Record<string, RuleCheck>> = {
  'tls-hello-version-below-3.1': checkHelloVersionBelow31,
  'tls-sslv2-compat-hello': checkSslv2CompatHello,
  'dump-malformed': checkDumpMalformed,
  'tls-truncated': checkTlsTruncated,
  'tls-malformed': checkTlsMalformed,
};

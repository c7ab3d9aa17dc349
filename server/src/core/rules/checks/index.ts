/** Check functions by rule id. Every catalogued rule has one (a test keeps it so). */
import type { RuleCheck } from '../ruleContext';
import { checkCaptureFileProblem, checkCaptureGap } from './capture';
import { checkCertificateChainOrder, checkCertificateExpired, checkCertificateNameMismatch, checkCertificateWeakKey, checkCertificateWeakSignature } from './certificates';
import { checkNoSessionBoundary } from './document';
import { checkDumpMalformed, checkTlsMalformed, checkTlsTruncated } from './framing';
import { checkHelloVersionBelow31, checkSslv2CompatHello } from './helloVersion';
import {
  checkDeprecatedVersion,
  checkDowngradeSentinel,
  checkGreaseSelected,
  checkServerRejectsCompatHello,
  checkServerVersionSsl3,
  checkTls13LegacyVersion,
} from './serverChoice';
import {
  checkCompression,
  checkDuplicateExtension,
  checkFallbackScsv,
  checkNoRenegotiationInfo,
  checkRecordSizeLimitTooSmall,
  checkSniInvalid,
  checkUnknownValue,
  checkWeakCipherOffered,
  checkWeakCipherSelected,
} from './helloContent';
import { checkAlert, checkRecordOverflow, checkRecordVersion } from './records';
import { checkWeakDhGroup } from './keyExchange';
import {
  checkBareLineEnding,
  checkCommandOrder,
  checkLineTooLong,
  checkPipeliningNotAdvertised,
  checkReplySyntax,
  checkUnknownCommand,
} from './smtpDialogue';
import {
  checkAuthBeforeTls,
  checkCommandInjection,
  checkEhloNotReissued,
  checkPlaintextAfter220,
  checkReadvertised,
  checkRequiretlsBeforeTls,
  checkResponseInjection,
  checkStarttlsNotAdvertised,
  checkStarttlsUnexpectedReply,
  checkStarttlsWithParameters,
  checkSubmissionPreferImplicitTls,
  checkTlsWithout220,
} from './starttls';
import { checkPolicyTlsRequired } from './policy';

export const CHECKS: Readonly<Record<string, RuleCheck>> = {
  'tls-hello-version-below-3.1': checkHelloVersionBelow31,
  'tls-sslv2-compat-hello': checkSslv2CompatHello,
  'tls-server-rejects-compat-hello': checkServerRejectsCompatHello,
  'tls-server-version-ssl3': checkServerVersionSsl3,
  'dump-malformed': checkDumpMalformed,
  'tls-truncated': checkTlsTruncated,
  'tls-malformed': checkTlsMalformed,
  'tls-record-overflow': checkRecordOverflow,
  'tls-record-version': checkRecordVersion,
  'tls-deprecated-version': checkDeprecatedVersion,
  'tls13-legacy-version': checkTls13LegacyVersion,
  'tls-downgrade-sentinel': checkDowngradeSentinel,
  'tls-weak-cipher-offered': checkWeakCipherOffered,
  'tls-weak-cipher-selected': checkWeakCipherSelected,
  'tls-compression': checkCompression,
  'tls-no-renegotiation-info': checkNoRenegotiationInfo,
  'tls-fallback-scsv': checkFallbackScsv,
  'tls-sni-invalid': checkSniInvalid,
  'tls-record-size-limit-too-small': checkRecordSizeLimitTooSmall,
  'tls-duplicate-extension': checkDuplicateExtension,
  'tls-grease-selected': checkGreaseSelected,
  'tls-weak-dh-group': checkWeakDhGroup,
  'tls-certificate-chain-order': checkCertificateChainOrder,
  'tls-certificate-weak-key': checkCertificateWeakKey,
  'tls-certificate-weak-signature': checkCertificateWeakSignature,
  'tls-certificate-name-mismatch': checkCertificateNameMismatch,
  'tls-certificate-expired': checkCertificateExpired,
  'tls-alert': checkAlert,
  'tls-unknown-value': checkUnknownValue,
  'smtp-reply-syntax': checkReplySyntax,
  'smtp-line-too-long': checkLineTooLong,
  'smtp-bare-line-ending': checkBareLineEnding,
  'smtp-command-order': checkCommandOrder,
  'smtp-unknown-command': checkUnknownCommand,
  'smtp-pipelining-not-advertised': checkPipeliningNotAdvertised,
  'starttls-not-advertised': checkStarttlsNotAdvertised,
  'starttls-with-parameters': checkStarttlsWithParameters,
  'starttls-unexpected-reply': checkStarttlsUnexpectedReply,
  'starttls-command-injection': checkCommandInjection,
  'starttls-response-injection': checkResponseInjection,
  'starttls-plaintext-after-220': checkPlaintextAfter220,
  'starttls-tls-without-220': checkTlsWithout220,
  'starttls-ehlo-not-reissued': checkEhloNotReissued,
  'starttls-readvertised': checkReadvertised,
  'auth-before-tls': checkAuthBeforeTls,
  'submission-prefer-implicit-tls': checkSubmissionPreferImplicitTls,
  'requiretls-before-tls': checkRequiretlsBeforeTls,
  'policy-tls-required': checkPolicyTlsRequired,
  'capture-gap': checkCaptureGap,
  'capture-file-problem': checkCaptureFileProblem,
  'document-no-session-boundary': checkNoSessionBoundary,
};

/** Registry lookups, for the decoder and for hovers. */
export { type RegistryEntry, hexOf } from './entry';
export { isGrease16, isGreaseAlpn, isGreasePskMode } from './grease';
export * from './versions';
export * from './contentTypes';
export * from './handshakeTypes';
export * from './alerts';
export * from './cipherSuites';
export * from './sslv2CipherKinds';
export * from './extensionTypes';
export * from './supportedGroups';
export * from './signatureSchemes';

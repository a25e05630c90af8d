/** Names of the secrets Efact keeps (the envelope's authenticated data binds a value to its name). */
export const clientSecretName = (profile: string): string => `oauth/${profile}/client-secret`;
export const accessTokenName = (profile: string): string => `oauth/${profile}/access-token`;
export const refreshTokenName = (profile: string): string => `oauth/${profile}/refresh-token`;
export const partnerKeyName = (cif: string): string => `company/${cif}/partner-key`;
export const certificatePasswordName = (cif: string): string => `company/${cif}/certificate-password`;

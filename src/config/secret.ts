/** Shortest `DOCSPACE_SECRET` accepted (characters): by the configuration and by the sealer (src/oauth/seal.ts). */
export const MIN_SECRET_LENGTH = 32;

// Signing and checking the OAuth server's tokens: ES256 JWT access and ID tokens under a key
// made at start-up (published at /oauth2/jwks), and opaque codes and refresh tokens.
import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';

/** DocSpace codes and refresh tokens: 96 random bytes, base64url (128 characters). */
export function opaqueToken(): string {
  return randomBytes(96).toString('base64url');
}

export interface AccessClaims extends JWTPayload {
  sub: string;
  aud: string[];
  iss: string;
  scope: string[];
  tid: number;
  cid: string;
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
}

export class TokenSigner {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    readonly jwk: JWK,
  ) {}

  static async create(): Promise<TokenSigner> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'ES256' };
    return new TokenSigner(privateKey, publicKey, jwk);
  }

  /** Spring's JWT generator sets only `alg` and `kid` in the header. */
  sign(claims: JWTPayload): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: this.jwk.kid as string }).sign(this.privateKey);
  }

  /** Claims of a token this server signed, if its signature, issuer, audience and lifetime hold at `now`. */
  async verify(token: string, expect: { issuer: string; audience: string; now: number }): Promise<AccessClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: ['ES256'],
        issuer: expect.issuer,
        audience: expect.audience,
        currentDate: new Date(expect.now),
        requiredClaims: ['sub', 'exp', 'jti'],
      });
      return payload as AccessClaims;
    } catch {
      return undefined;
    }
  }

  newJti(): string {
    return randomUUID();
  }
}

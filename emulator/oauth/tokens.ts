// Signing and checking the OAuth server's tokens: ES256 JWT access and ID tokens under a key
// made at start-up (published at /oauth2/jwks), and opaque codes and refresh tokens.
import { generateKeyPairSync, type KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';

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
  readonly jwk: JWK;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  /** A fresh P-256 key per server: made synchronously so the server can be built without awaiting. */
  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
    this.jwk = { kty, crv, x, y, kid: randomUUID(), use: 'sig', alg: 'ES256' };
  }

  /** Spring's JWT generator sets only `alg` and `kid` in the header. */
  sign(claims: JWTPayload): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: this.jwk.kid as string })
      .sign(this.privateKey);
  }

  /** Claims of a token this server signed, if its signature, issuer, audience and lifetime hold at `now`. */
  async verify(
    token: string,
    expect: { issuer: string; audience: string; now: number },
  ): Promise<AccessClaims | undefined> {
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

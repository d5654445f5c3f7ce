// Client authentication at the token and revocation endpoints, as Spring's converters try it:
// HTTP Basic, then client_secret_post, then `none` (public client with a PKCE token request).
// DocSpace registers client_secret_post for every app and `none` for apps with allow_pkce, and no
// app ever has client_secret_basic, so Basic always fails.
import { createHash, timingSafeEqual } from 'node:crypto';
import { activeClient, type OAuthContext } from './context.js';
import type { OAuthApp } from './directory.js';
import { bareError, invalidClient, invalidGrant } from './errors.js';

export type ClientAuthMethod = 'client_secret_post' | 'none';

export interface AuthenticatedClient {
  app: OAuthApp;
  method: ClientAuthMethod;
}

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw bareError('invalid_request');
  return values[0];
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Undefined when the request carries no client credentials at all. */
export function authenticateClient(
  ctx: OAuthContext,
  params: URLSearchParams,
  authorization: string | undefined,
): AuthenticatedClient | undefined {
  if (authorization && /^basic /i.test(authorization)) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    if (!decoded.includes(':')) throw bareError('invalid_request');
    throw invalidClient();
  }
  const secret = single(params, 'client_secret');
  if (secret !== undefined) {
    const app = activeClient(ctx, single(params, 'client_id'));
    if (!app || !sameSecret(secret, app.clientSecret)) throw invalidClient();
    verifyPkce(ctx, app, params, false);
    return { app, method: 'client_secret_post' };
  }
  const isPkceTokenRequest =
    params.get('grant_type') === 'authorization_code' && params.has('code') && params.has('code_verifier');
  if (isPkceTokenRequest) {
    const clientId = single(params, 'client_id');
    if (!clientId) throw bareError('invalid_request');
    const app = activeClient(ctx, clientId);
    if (!app?.allowPkce) throw invalidClient();
    verifyPkce(ctx, app, params, true);
    return { app, method: 'none' };
  }
  return undefined;
}

/**
 * Spring's code-verifier check, done while authenticating the client: a public client must prove
 * the code's challenge; a confidential one must do so only if the authorization request had one.
 */
function verifyPkce(ctx: OAuthContext, app: OAuthApp, params: URLSearchParams, required: boolean): void {
  if (params.get('grant_type') !== 'authorization_code') return;
  const code = params.get('code');
  const auth = code ? ctx.state.findBy('code', code) : undefined;
  if (!auth) {
    if (required) throw invalidGrant();
    return;
  }
  if (auth.clientId !== app.clientId) {
    // The token endpoint itself reports the client mismatch (and invalidates the code).
    return;
  }
  const challenge = auth.request.codeChallenge;
  const verifier = params.get('code_verifier') ?? undefined;
  if (!challenge) {
    if (required || verifier) throw invalidGrant();
    return;
  }
  if (!verifier || createHash('sha256').update(verifier).digest('base64url') !== challenge)
    throw invalidGrant();
}

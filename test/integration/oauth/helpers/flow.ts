import { browserLeg, type CookieJar, register } from '../../../helpers/oauth-flow.js';
import { authorizeUrl, pkcePair } from '../../../helpers/pkce.js';

export interface Issued {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export async function postForm(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Issued> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** Registers a public client and runs the browser leg; returns what a client needs for /token. */
export async function codeFor(
  facadeUrl: string,
  opts: {
    redirectUri?: string;
    clientId?: string;
    jar?: CookieJar;
    upstream?: (l: string) => Promise<string>;
    access?: 'read' | 'write';
    remember?: boolean;
  } = {},
): Promise<{ clientId: string; code: string; verifier: string; redirectUri: string; location: string }> {
  const redirectUri = opts.redirectUri ?? 'http://127.0.0.1:7000/client-callback';
  const clientId =
    opts.clientId ??
    (
      await register(facadeUrl, {
        client_name: 'Negative',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'none',
      })
    ).client_id;
  const { verifier, challenge } = pkcePair();
  const leg = await browserLeg(
    facadeUrl,
    authorizeUrl(facadeUrl, {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 's1',
    }),
    { jar: opts.jar, upstream: opts.upstream, access: opts.access, remember: opts.remember },
  );
  const code = leg.location.startsWith('status:')
    ? ''
    : (new URL(leg.location).searchParams.get('code') ?? '');
  return { clientId, code, verifier, redirectUri, location: leg.location };
}

/** The whole flow to a token response. */
export async function tokensFor(
  facadeUrl: string,
  opts: Parameters<typeof codeFor>[1] = {},
): Promise<Issued & { clientId: string }> {
  const c = await codeFor(facadeUrl, opts);
  const issued = await postForm(`${facadeUrl}/oauth/token`, {
    grant_type: 'authorization_code',
    code: c.code,
    redirect_uri: c.redirectUri,
    code_verifier: c.verifier,
    client_id: c.clientId,
  });
  return { ...issued, clientId: c.clientId };
}

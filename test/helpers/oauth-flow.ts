/**
 * Driving our OAuth endpoints the way a client and a browser would, with plain fetch: register,
 * the consent page's hidden fields, the browser leg through consent (and DocSpace's pages when
 * given a person), a cookie jar.
 */
/** Minimal cookie jar for a fetch-driven browser: name → value, one origin at a time is enough here. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  absorb(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export async function register(
  url: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown> & { client_id: string; client_secret?: string }> {
  const res = await fetch(`${url}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown> & { client_id: string };
}

export function hiddenInputs(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) out[m[1]] = m[2];
  return out;
}

/**
 * Drives the browser leg with fetch and manual redirects: our authorize → consent page →
 * decision → DocSpace (a `upstream` callback handles sign-in pages) → our callback → the client's
 * redirect URI, which is returned without being fetched.
 */
export async function browserLeg(
  facadeUrl: string,
  authorize: string,
  opts: {
    decision?: 'allow' | 'deny';
    jar?: CookieJar;
    upstream?: (location: string) => Promise<string>;
    remember?: boolean;
    /** The access level picked on the consent page; default: the page's own selection. */
    access?: 'read' | 'write';
  } = {},
): Promise<{ location: string; consentStatus: number; consentHtml: string }> {
  const jar = opts.jar ?? new CookieJar();
  const first = await fetch(authorize, { redirect: 'manual', headers: { cookie: jar.header() } });
  jar.absorb(first);
  const consentHtml = first.status === 200 ? await first.text() : '';
  let location: string;
  if (first.status === 200) {
    const fields = hiddenInputs(consentHtml);
    const form = new URLSearchParams({
      ...fields,
      decision: opts.decision ?? 'allow',
      ...(opts.remember ? { remember: '1' } : {}),
      ...(opts.access ? { access: opts.access } : {}),
    });
    const post = await fetch(`${facadeUrl}/oauth/consent`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: jar.header(),
        origin: facadeUrl,
      },
      body: form,
    });
    jar.absorb(post);
    if (post.status !== 302)
      return {
        location: `status:${post.status}`,
        consentStatus: first.status,
        consentHtml: await post.text(),
      };
    location = post.headers.get('location') ?? '';
  } else if (first.status === 302) {
    location = first.headers.get('location') ?? '';
  } else {
    return {
      location: `status:${first.status}`,
      consentStatus: first.status,
      consentHtml: await first.text(),
    };
  }
  // Follow redirects through DocSpace until the client's redirect URI comes up (not fetched).
  for (let hop = 0; hop < 10 && !isClientRedirect(location); hop++) {
    if (!location.startsWith(facadeUrl) && opts.upstream) {
      location = await opts.upstream(location);
      continue;
    }
    const ours = location.startsWith(facadeUrl);
    const res = await fetch(location, { redirect: 'manual', headers: ours ? { cookie: jar.header() } : {} });
    if (ours) jar.absorb(res);
    if (res.status !== 302)
      return { location: `status:${res.status}`, consentStatus: first.status, consentHtml: await res.text() };
    location = res.headers.get('location') ?? '';
  }
  return { location, consentStatus: first.status, consentHtml };
}

/** Client redirect URIs in tests live under the `/client-callback` path (never served). */
export function isClientRedirect(location: string): boolean {
  try {
    const u = new URL(location);
    return u.pathname.endsWith('/client-callback') || u.protocol === 'cursor:';
  } catch {
    return false;
  }
}

/** One JSON-RPC message POSTed to `/mcp` with a Bearer token, as a 2025-06-18 client sends it. */
export function postMcp(mcpUrl: string, bearer: string, message: Record<string, unknown>): Promise<Response> {
  return fetch(mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${bearer}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, ...message }),
  });
}

import { createHash, randomBytes } from 'node:crypto';
import type { BenchContext } from '../lib/context.js';
import { CookieJar, type HttpResponse, request } from '../lib/http.js';
import { expectOk, HttpMcp } from '../lib/mcp.js';
import { freePort, type ServerProc, startServerProc } from '../lib/procs.js';
import { type MeasureResult, row } from '../lib/report.js';
import { ms, round, signedMs, summarize } from '../lib/stats.js';

/**
 * The whole OAuth flow driven headless, as a browser and an MCP client would, following every
 * redirect by hand: register → authorize (our consent page) → consent → DocSpace sign-in and
 * consent (the emulator's) → our callback → token; then one refresh. Each step is timed, and
 * split into our server's time and DocSpace's.
 */
const REDIRECT = 'http://127.0.0.1:1/callback';

interface Timed {
  ours: number;
  docspace: number;
}

function field(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`form field ${name} not found`);
  return (m[1] as string)
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

function location(res: HttpResponse, what: string): string {
  const loc = res.headers.location;
  if (res.status !== 302 && res.status !== 303)
    throw new Error(
      `${what}: expected a redirect, got HTTP ${res.status}: ${res.body.toString().slice(0, 200)}`,
    );
  if (!loc) throw new Error(`${what}: redirect without Location`);
  return loc;
}

const form = (fields: [string, string][]) => new URLSearchParams(fields).toString();

class Browser {
  readonly jar = new CookieJar();
  readonly t: Timed = { ours: 0, docspace: 0 };
  constructor(private readonly ourOrigin: string) {}

  async send(
    url: string,
    opts: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...this.jar.header(url), ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const t0 = performance.now();
    const res = await request(url, { method: opts.method, headers, body: opts.body });
    const spent = performance.now() - t0;
    if (url.startsWith(this.ourOrigin)) this.t.ours += spent;
    else this.t.docspace += spent;
    this.jar.store(url, res.headers);
    return res;
  }
}

async function oneFlow(server: ServerProc, ctx: BenchContext) {
  const base = server.url;
  const b = new Browser(base);
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const t0 = performance.now();
  const reg = await b.send(`${base}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'bench',
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'none',
    }),
  });
  if (reg.status !== 201)
    throw new Error(`register: HTTP ${reg.status} ${reg.body.toString().slice(0, 200)}`);
  const clientId = (JSON.parse(reg.body.toString()) as { client_id: string }).client_id;
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    state: 'bench-state',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    resource: `${base}/mcp`,
  });
  const page = await b.send(`${base}/oauth/authorize?${query}`);
  if (page.status !== 200)
    throw new Error(`authorize: HTTP ${page.status} ${page.body.toString().slice(0, 300)}`);
  const html = page.body.toString();
  let next = location(
    await b.send(`${base}/oauth/consent`, {
      method: 'POST',
      headers: { origin: base },
      body: form([
        ['request', field(html, 'request')],
        ['csrf', field(html, 'csrf')],
        ['decision', 'allow'],
      ]),
    }),
    'consent',
  );
  // DocSpace: sign-in page, sign-in, then its consent (first time for this user and app only).
  const signInPage = await b.send(next);
  let res: HttpResponse = signInPage;
  if (signInPage.status === 200 && signInPage.body.includes('id="signin"')) {
    res = await b.send(next, {
      method: 'POST',
      body: form([
        ['email', ctx.fx.email],
        ['password', ctx.fx.password],
      ]),
    });
  }
  if (res.status === 200 && res.body.includes('consent-allow')) {
    const consentHtml = res.body.toString();
    const allow = consentHtml.slice(
      consentHtml.indexOf('id="consent-allow"'),
      consentHtml.indexOf('id="consent-deny"'),
    );
    const fields: [string, string][] = [...allow.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [
      m[1] as string,
      m[2] as string,
    ]);
    const action = /action="([^"]+)"/.exec(allow)?.[1] ?? '/oauth2/authorize';
    res = await b.send(new URL(action, next).toString(), { method: 'POST', body: form(fields) });
  }
  next = location(res, 'DocSpace sign-in');
  if (!next.startsWith(`${base}/oauth/callback`))
    throw new Error(`DocSpace sent the browser to ${next.split('?')[0]}`);
  const back = new URL(location(await b.send(next), 'callback'));
  const code = back.searchParams.get('code');
  if (!code)
    throw new Error(
      `callback: no code (${back.searchParams.get('error')}: ${back.searchParams.get('error_description')})`,
    );
  const tok = await b.send(`${base}/oauth/token`, {
    method: 'POST',
    body: form([
      ['grant_type', 'authorization_code'],
      ['code', code],
      ['redirect_uri', REDIRECT],
      ['client_id', clientId],
      ['code_verifier', verifier],
      ['resource', `${base}/mcp`],
    ]),
  });
  if (tok.status !== 200) throw new Error(`token: HTTP ${tok.status} ${tok.body.toString().slice(0, 200)}`);
  const total = performance.now() - t0;
  const tokens = JSON.parse(tok.body.toString()) as { access_token: string; refresh_token?: string };
  return { total, ours: b.t.ours, docspace: b.t.docspace, tokens, clientId, browser: b };
}

export async function measureOAuth(
  ctx: BenchContext,
  opts: { flows?: number; validations?: number } = {},
): Promise<MeasureResult> {
  const { fx } = ctx;
  const flows = opts.flows ?? (ctx.quick ? 3 : 30);
  const validations = opts.validations ?? (ctx.quick ? 100 : 1000);
  const app = ctx.emulator.info.oauthApps.find((a) => !a.isPublic) ?? ctx.emulator.info.oauthApps[0];
  if (!app) throw new Error('the emulator has no OAuth app');
  const port = await freePort();
  const server = await startServerProc(
    {
      DOCSPACE_BASE_URL: fx.baseUrl,
      DOCSPACE_OAUTH_BASE_URL: fx.baseUrl,
      DOCSPACE_OAUTH_CLIENT_ID: app.clientId,
      DOCSPACE_OAUTH_CLIENT_SECRET: app.clientSecret,
      DOCSPACE_SECRET: randomBytes(32).toString('base64url'),
      DOCSPACE_SERVER_BASE_URL: `http://127.0.0.1:${port}`,
      // The API-key requests compared below: off by default beside OAuth, so opted in.
      DOCSPACE_REQUEST_AUTHORIZATION_HEADER: 'yes',
    },
    [],
    port,
  );
  const totals: number[] = [];
  const ours: number[] = [];
  const docspace: number[] = [];
  const refreshes: number[] = [];
  const withToken: number[] = [];
  const withKey: number[] = [];
  try {
    let last: Awaited<ReturnType<typeof oneFlow>> | undefined;
    // One untimed flow first: DocSpace remembers consent after it, as it would for a returning user.
    for (let i = 0; i <= flows; i++) {
      ctx.progress(`oauth flow ${i}/${flows}`);
      last = await oneFlow(server, ctx);
      if (i === 0) continue;
      totals.push(last.total);
      ours.push(last.ours);
      docspace.push(last.docspace);
      if (last.tokens.refresh_token) {
        const t0 = performance.now();
        const r = await request(`${server.url}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form([
            ['grant_type', 'refresh_token'],
            ['refresh_token', last.tokens.refresh_token],
            ['client_id', last.clientId],
          ]),
        });
        if (r.status !== 200) throw new Error(`refresh: HTTP ${r.status} ${r.body.toString().slice(0, 200)}`);
        refreshes.push(performance.now() - t0);
        last.tokens = JSON.parse(r.body.toString()) as typeof last.tokens;
      }
    }
    if (!last) throw new Error('no flow ran');
    // Validation cost: the same cheap request with our sealed token and with a DocSpace API key.
    const oauthClient = new HttpMcp(`${server.url}/mcp`, 'modern', last.tokens.access_token);
    const keyClient = new HttpMcp(`${server.url}/mcp`, 'modern', fx.apiKey);
    ctx.progress('oauth token validation');
    for (let i = 0; i < validations + 50; i++) {
      let t0 = performance.now();
      expectOk(await oauthClient.listTools(), 'tools/list with our token');
      if (i >= 50) withToken.push(performance.now() - t0);
      t0 = performance.now();
      expectOk(await keyClient.listTools(), 'tools/list with an API key');
      if (i >= 50) withKey.push(performance.now() - t0);
    }
  } finally {
    await server.stop();
  }
  const f = {
    flow: summarize(totals),
    flowOurs: summarize(ours),
    flowDocSpace: summarize(docspace),
    refresh: summarize(refreshes),
    tokenRequest: summarize(withToken),
    apiKeyRequest: summarize(withKey),
  };
  const validation = round(f.tokenRequest.p50 - f.apiKeyRequest.p50);
  return {
    name: 'oauth',
    rows: [
      row(
        'OAuth flow register→token, machine time',
        '< 50 ms',
        `p50 ${ms(f.flow.p50)} (p95 ${ms(f.flow.p95)}); our server ${ms(f.flowOurs.p50)}, DocSpace (emulator) ${ms(f.flowDocSpace.p50)}`,
        f.flow.p50 < 50,
      ),
      row(
        'OAuth refresh',
        '—',
        refreshes.length ? `p50 ${ms(f.refresh.p50)} (p95 ${ms(f.refresh.p95)})` : 'no refresh token issued',
      ),
      row(
        'Token validation per request',
        '—',
        `${signedMs(validation)} p50 (tools/list ${ms(f.tokenRequest.p50)} with our token vs ${ms(f.apiKeyRequest.p50)} with an API key)`,
      ),
    ],
    data: { flows: totals.length, ...f, validationP50: validation },
  };
}

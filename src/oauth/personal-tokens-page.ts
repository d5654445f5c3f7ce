import type { Context, Hono } from 'hono';
import { cookieHeader, readCookie } from './cookies.js';
import { escapeHtml, html, htmlResponse, layout } from '../pages/html.js';
import { type AccessLevel, accessLevelLabel, parseAccessLevel } from './access-level.js';
import { browserError, type Facade } from './context.js';
import { OAuthError } from './errors.js';
import { MAX_LABEL_LENGTH, type PersonalTokenRecord } from './personal-tokens.js';

/**
 * The "Personal access tokens" section of `/connections` and its two forms (create, revoke).
 * A new token travels from the create POST to the page that shows it once in a sealed,
 * HttpOnly cookie of five minutes, read and cleared by that page (post/redirect/get: reloading
 * never makes a second token, and the token is never in a URL).
 */

/** The signed-in person, as `connections.ts` checks a POST (session + CSRF). */
export type CheckedPost = (
  c: Context,
) => Promise<{ session: { userId: string; appId: string }; form: URLSearchParams } | Response>;

interface NewToken {
  token: string;
  id: string;
  userId: string;
  /** Epoch ms after which the page no longer shows it. */
  exp: number;
}

const NEW_TOKEN_SECONDS = 300;
const DAY_CHOICES = [7, 30, 60, 90, 180, 365];

const newTokenCookie = (f: Facade, value: string, maxAge: number) =>
  cookieHeader(f, 'dsmcp-pat-new', value, maxAge);

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export interface PersonalTokensView {
  enabled: boolean;
  tokens: PersonalTokenRecord[];
  csrf: string;
  maxDays: number;
  defaultDays: number;
  /** The MCP endpoint a client sends the token to. */
  mcpUrl: string;
  /** Just created: the only time the token is shown. */
  created?: { token: string; record?: PersonalTokenRecord };
  notice?: string;
}

export function personalTokensSection(v: PersonalTokensView): string {
  const heading = `<h2 id="tokens">Personal access tokens</h2>`;
  if (!v.enabled)
    return `${heading}<p data-testid="tokens-off">The operator of this server has turned personal access tokens off. Apps that sign in with OAuth are not affected.</p>`;
  const csrf = `<input type="hidden" name="csrf" value="${escapeHtml(v.csrf)}">`;
  const created = v.created
    ? `<div class="note" role="status" data-testid="new-token-box"><p><b>Copy your new token now.</b> This is the only time it is shown; the server keeps only a way to check it.</p>
<label for="new-token">Token${v.created.record ? ` “${escapeHtml(v.created.record.label)}”` : ''}</label>
<code class="url" id="new-token" data-testid="new-token">${escapeHtml(v.created.token)}</code>
<p>Send it with every request to <code>${escapeHtml(v.mcpUrl)}</code> as the header <code>Authorization: Bearer &lt;token&gt;</code>. Anyone holding it acts as you${v.created.record?.access === 'read' ? ' (read only)' : ''}: keep it like a password.</p></div>`
    : '';
  const rows = v.tokens.map(
    (t) => `<tr data-testid="token">
<td><b data-testid="token-label">${escapeHtml(t.label)}</b><br><span class="muted">ends in <code>…${escapeHtml(t.hint)}</code></span></td>
<td data-testid="token-access">${escapeHtml(accessLevelLabel(t.access))}</td>
<td class="muted">${when(t.createdAt)}</td>
<td class="muted">${when(t.expiresAt)}</td>
<td class="muted" data-testid="token-last-used">${t.lastUsedAt ? when(t.lastUsedAt) : 'never'}</td>
<td><form class="inline" method="post" action="/connections/tokens/revoke">${csrf}<input type="hidden" name="token" value="${escapeHtml(t.id)}"><button class="small danger" type="submit" aria-label="Revoke token ${escapeHtml(t.label)}">Revoke</button></form></td>
</tr>`,
  );
  const table = rows.length
    ? `<table><thead><tr><th scope="col">Name</th><th scope="col">Access</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col"><span class="muted">Action</span></th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : `<p data-testid="tokens-empty">You have no personal access tokens.</p>`;
  const days = [...new Set([...DAY_CHOICES.filter((d) => d < v.maxDays), v.defaultDays, v.maxDays])].sort(
    (a, b) => a - b,
  );
  const option = (d: number) =>
    `<option value="${d}"${d === v.defaultDays ? ' selected' : ''}>${d} day${d === 1 ? '' : 's'}</option>`;
  const level = (value: AccessLevel, checked: boolean) =>
    `<label><input type="radio" name="access" value="${value}"${checked ? ' checked' : ''}> ${accessLevelLabel(value)}</label>`;
  const form = `<form method="post" action="/connections/tokens/create" class="token-form">${csrf}
<p><label for="token-label">Name</label><br><input id="token-label" name="label" required maxlength="${MAX_LABEL_LENGTH}" placeholder="e.g. Gemini CLI on my laptop" autocomplete="off"></p>
<p><label for="token-days">Expires after</label><br><select id="token-days" name="days">${days.map(option).join('')}</select></p>
<fieldset><legend>Access</legend>${level('read', true)}<br>${level('write', false)}</fieldset>
<div class="buttons"><button class="primary" type="submit">Create token</button></div></form>`;
  return `<style>.token-form input[name=label],.token-form select{font:inherit;padding:.4rem;border:1px solid #c7ccd6;border-radius:6px;width:100%;box-sizing:border-box}.token-form fieldset{border:1px solid #e3e6ec;border-radius:8px;margin:.6rem 0}</style>
${heading}
${v.notice ? `<p class="notice" role="status">${escapeHtml(v.notice)}</p>` : ''}${created}
<p class="muted">For apps that cannot sign in with OAuth (Gemini CLI, scripts, CI jobs). A token acts as you, with the access you choose, until it expires or you revoke it.</p>
${table}
<h3>New token</h3>
${form}`;
}

/**
 * The section for the signed-in person's page, and the header that clears a just-shown token.
 */
export async function personalTokensFor(
  f: Facade,
  c: Context,
  session: { userId: string; appId: string },
  csrf: string,
): Promise<{ html: string; headers: Record<string, string> }> {
  const pats = f.personalTokens;
  const view: PersonalTokensView = {
    enabled: pats.enabled,
    tokens: [],
    csrf,
    maxDays: pats.maxDays,
    defaultDays: pats.defaultDays,
    mcpUrl: f.settings.resource,
  };
  const headers: Record<string, string> = {};
  if (!pats.enabled) return { html: personalTokensSection(view), headers };
  view.tokens = await pats.list(session.userId, session.appId);
  const sealed = readCookie(f, c, 'dsmcp-pat-new');
  if (sealed) {
    headers['set-cookie'] = newTokenCookie(f, '', 0);
    const fresh = await f.storageSealer.open<NewToken>(sealed);
    if (fresh && fresh.userId === session.userId && fresh.exp > f.settings.now())
      view.created = { token: fresh.token, record: view.tokens.find((t) => t.id === fresh.id) };
  }
  const done = new URL(c.req.url).searchParams.get('done');
  if (done === 'token-revoked') view.notice = 'The personal token was revoked.';
  return { html: personalTokensSection(view), headers };
}

/**
 * A form the person can correct (no name, too long, too many tokens, an id not theirs): a page
 * that says what happened to the token and leads back; anything else is the usual error page.
 */
function formError(f: Facade, error: unknown, title: string): Response {
  if (error instanceof OAuthError && error.code === 'invalid_request' && error.status < 500)
    return htmlResponse(
      layout(
        title,
        html`<h1>${title}</h1><p data-testid="message">${error.message[0]?.toUpperCase() + error.message.slice(1)}.</p><p><a href="/connections#tokens">Back to your connections</a></p>`,
      ),
      error.status,
    );
  return browserError(f, error);
}

export function mountPersonalTokens(app: Hono, f: Facade, post: CheckedPost): void {
  const off = () =>
    new OAuthError('access_denied', 'personal access tokens are turned off on this server', 403);

  app.post('/connections/tokens/create', async (c) => {
    try {
      const checked = await post(c);
      if (checked instanceof Response) return checked;
      if (!f.personalTokens.enabled) throw off();
      const { form, session } = checked;
      const access = parseAccessLevel(form.get('access'));
      if (!access) throw new OAuthError('invalid_request', 'choose Read only or Read and write');
      const days = Number(form.get('days') ?? f.personalTokens.defaultDays);
      const { token, record } = await f.personalTokens.create({
        userId: session.userId,
        appId: session.appId,
        label: form.get('label') ?? '',
        access,
        days,
      });
      const fresh: NewToken = {
        token,
        id: record.id,
        userId: session.userId,
        exp: f.settings.now() + NEW_TOKEN_SECONDS * 1000,
      };
      return new Response(null, {
        status: 303,
        headers: {
          location: '/connections?done=token-created#tokens',
          'set-cookie': newTokenCookie(f, await f.storageSealer.seal(fresh), NEW_TOKEN_SECONDS),
          'cache-control': 'no-store',
        },
      });
    } catch (error) {
      return formError(f, error, 'The token was not created');
    }
  });

  app.post('/connections/tokens/revoke', async (c) => {
    try {
      const checked = await post(c);
      if (checked instanceof Response) return checked;
      if (!f.personalTokens.enabled) throw off();
      // Another person's token, or none: the same answer.
      if (!(await f.personalTokens.revoke(checked.form.get('token') ?? '', checked.session.userId)))
        throw new OAuthError('invalid_request', 'there is no such personal token on your account', 404);
      return new Response(null, {
        status: 303,
        headers: { location: '/connections?done=token-revoked#tokens' },
      });
    } catch (error) {
      return formError(f, error, 'The token was not revoked');
    }
  });
}

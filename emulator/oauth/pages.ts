// The sign-in, consent and error pages. Plain HTML forms, so a browser, Playwright or a script
// with fetch can all go through them; element ids are stable for tests.
import type { OAuthApp, OAuthUser } from './directory.js';
import { describeScope } from './scopes.js';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f4f4f4;margin:0;display:flex;justify-content:center}
main{background:#fff;margin:48px 16px;padding:32px;border-radius:8px;max-width:420px;width:100%;box-shadow:0 1px 4px #0002}
h1{font-size:20px;margin-top:0}label{display:block;margin:12px 0 4px}
input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:8px;font-size:15px}
button{margin-top:16px;padding:8px 20px;font-size:15px;cursor:pointer}
.error{color:#b00020}.muted{color:#666;font-size:13px}ul{padding-left:20px}.row{display:flex;gap:12px}
</style>
</head>
<body><main>
${body}
</main></body>
</html>`;
}

export function signInPage(app: OAuthApp, opts: { email?: string; error?: string }): string {
  const error = opts.error ? `<p class="error" id="signin-error">${escapeHtml(opts.error)}</p>` : '';
  // No action attribute: the form posts back to this very URL, authorization parameters included.
  return page(
    'Sign in — ONLYOFFICE DocSpace',
    `<h1>Sign in to continue to ${escapeHtml(app.name)}</h1>
${error}
<form id="signin" method="post">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(opts.email ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button id="signin-submit" type="submit">Sign in</button>
</form>
<p class="muted">DocSpace emulator</p>`,
  );
}

export function consentPage(
  app: OAuthApp,
  user: OAuthUser,
  opts: { consentState: string; scopes: string[]; action: string },
): string {
  const scopeItems = opts.scopes.map(
    (s) => `<li>${escapeHtml(describeScope(s))} <span class="muted">(${escapeHtml(s)})</span></li>`,
  );
  const scopeFields = opts.scopes.map((s) => `<input type="hidden" name="scope" value="${escapeHtml(s)}">`);
  const hidden =
    `<input type="hidden" name="client_id" value="${escapeHtml(app.clientId)}">` +
    `<input type="hidden" name="state" value="${escapeHtml(opts.consentState)}">`;
  const links = [
    app.policyUrl ? `<a href="${escapeHtml(app.policyUrl)}">Privacy policy</a>` : '',
    app.termsUrl ? `<a href="${escapeHtml(app.termsUrl)}">Terms of service</a>` : '',
  ].filter(Boolean);
  // Deny is a separate form without scope fields: DocSpace reads "no scope" as a refusal.
  return page(
    `${app.name} wants access — ONLYOFFICE DocSpace`,
    `<h1>${escapeHtml(app.name)} would like to access your DocSpace</h1>
<p>Signed in as <strong id="consent-user">${escapeHtml(user.email)}</strong></p>
<p>The app will be able to:</p>
<ul id="consent-scopes">${scopeItems.join('')}</ul>
${links.length ? `<p class="muted">${links.join(' · ')}</p>` : ''}
<div class="row">
<form id="consent-allow" method="post" action="${escapeHtml(opts.action)}">${hidden}${scopeFields.join('')}<button id="allow" type="submit">Allow</button></form>
<form id="consent-deny" method="post" action="${escapeHtml(opts.action)}">${hidden}<button id="deny" type="submit">Deny</button></form>
</div>`,
  );
}

const ERROR_TEXT: Record<string, string> = {
  missing_client_id_error: 'The link has no client_id: the app that sent you here is misconfigured.',
  client_not_found_error: 'This app is not registered on the portal.',
  client_disabled_error: 'This app has been disabled by the portal administrator.',
  client_permission_denied_error: 'This app may not be used on this portal.',
  invalid_request:
    'The app sent an invalid authorization request (for example, an unregistered redirect URI).',
  unsupported_response_type: 'The app asked for a response type the portal does not support.',
};

/** What DocSpace's portal UI shows at /login?type=oauth2&error=…; the app is never redirected to. */
export function loginErrorPage(error: string | undefined, clientId: string | undefined): string {
  const text = error
    ? (ERROR_TEXT[error] ?? 'The authorization request could not be processed.')
    : 'Sign in from the app you came from.';
  return page(
    'Authorization error — ONLYOFFICE DocSpace',
    `<h1>Authorization failed</h1>
<p id="error-text">${escapeHtml(text)}</p>
${error ? `<p class="muted">Error code: <code id="error-code">${escapeHtml(error)}</code></p>` : ''}
${clientId ? `<p class="muted">Client: <code>${escapeHtml(clientId)}</code></p>` : ''}`,
  );
}

/** `GET /` of the emulator: what this is, so a person who opens it in a browser is not lost. */
export function rootPage(): string {
  return page(
    'DocSpace emulator',
    `<h1>DocSpace emulator</h1>
<p>This is a stand-in for an ONLYOFFICE DocSpace portal, for docspace-mcp’s tests, benchmarks and demo. It keeps a seeded portal in memory and answers the DocSpace REST API under <code>/api/2.0</code> and DocSpace’s OAuth server under <code>/oauth2</code>.</p>
<p class="muted">It is not a real portal: nothing here is saved, and there is no DocSpace user interface. To use the demo, connect your MCP client to the docspace-mcp server the demo printed (http://127.0.0.1:8080/mcp by default).</p>`,
  );
}

/**
 * The two pages a person sees from us: the consent page and the error page. Plain HTML, no
 * script, every value escaped; the headers forbid framing and all sub-resources.
 */

export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;background:#f4f5f7;color:#1d2433;margin:0}
main{max-width:30rem;margin:3rem auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 2px 12px #0002}
h1{font-size:1.3rem;margin:0 0 1rem}.muted{color:#5b6475;font-size:.9rem}.badge{display:inline-block;border-radius:6px;padding:0 .4rem;font-size:.8rem}
.ok{background:#dff5e3;color:#14532d}.warn{background:#fff4d6;color:#7a4d00}dl{margin:1rem 0}dt{font-weight:600;margin-top:.6rem}dd{margin:0;word-break:break-all}
.alert{background:#fff4d6;border-left:4px solid #e0a000;padding:.5rem .8rem;margin:.6rem 0;font-size:.9rem}
.buttons{display:flex;gap:.8rem;margin-top:1.4rem}button{flex:1;font:inherit;padding:.6rem;border-radius:8px;border:1px solid #c7ccd6;background:#fff;cursor:pointer}
button.primary{background:#2867d6;border-color:#2867d6;color:#fff}code{font-size:.85rem}`;

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export interface ConsentView {
  clientName: string;
  clientId: string;
  /** 'verified' (metadata document host), 'trusted' (on the operator's list), 'unverified' (registered itself), 'docspace-app'. */
  identity: 'trusted' | 'verified' | 'unverified' | 'docspace-app';
  documentHost?: string;
  redirectUri: string;
  redirectIsLoopback: boolean;
  portalUrl: string;
  requestId: string;
  csrf: string;
  /** Absolute URL of our consent endpoint. */
  action: string;
}

export function consentPage(v: ConsentView): string {
  const redirectHost = (() => {
    try {
      const u = new URL(v.redirectUri);
      return u.host || u.protocol;
    } catch {
      return v.redirectUri;
    }
  })();
  const identity = {
    trusted: `<span class="badge ok">verified</span> published by <b>${escapeHtml(v.documentHost ?? '')}</b>`,
    verified: `<span class="badge ok">domain verified</span> metadata published at <b>${escapeHtml(v.documentHost ?? '')}</b>`,
    unverified: `<span class="badge warn">unverified</span> this app registered itself; its name was not checked`,
    'docspace-app': `<span class="badge warn">your DocSpace app</span> uses the DocSpace OAuth app <code>${escapeHtml(v.clientId)}</code>`,
  }[v.identity];
  const loopbackWarning = v.redirectIsLoopback
    ? `<p class="alert">This app will receive access on <b>this computer</b> (${escapeHtml(redirectHost)}). Continue only if you just started connecting from an app running here.</p>`
    : '';
  return layout(
    'Allow access to DocSpace?',
    `<h1>Allow <span data-testid="client-name">${escapeHtml(v.clientName)}</span> to use your DocSpace?</h1>
<p class="muted">${identity}</p>
<dl>
<dt>Portal</dt><dd data-testid="portal">${escapeHtml(v.portalUrl)}</dd>
<dt>After you decide, you go back to</dt><dd data-testid="redirect"><b>${escapeHtml(redirectHost)}</b> <span class="muted">${escapeHtml(v.redirectUri)}</span></dd>
</dl>
${loopbackWarning}
<p class="muted">If you allow, you will sign in to DocSpace next. The app can then read and change your files, rooms and profile, with your rights, until you revoke it.</p>
<form method="post" action="${escapeHtml(v.action)}">
<input type="hidden" name="request" value="${escapeHtml(v.requestId)}">
<input type="hidden" name="csrf" value="${escapeHtml(v.csrf)}">
<label class="muted"><input type="checkbox" name="remember" value="1"> Remember my choice for this app in this browser</label>
<div class="buttons"><button type="submit" name="decision" value="deny">Deny</button><button class="primary" type="submit" name="decision" value="allow">Allow</button></div>
</form>`,
  );
}

export function errorPage(title: string, message: string, ref: string): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p class="muted">Reference: <code data-testid="ref">${escapeHtml(ref)}</code>. Mention it when you ask your administrator.</p>`,
  );
}

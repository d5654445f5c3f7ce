import { html, layout } from '../pages/html.js';

/** The consent page (the error page and the shared layout are in `src/pages/html.ts`). */

export { errorPage, escapeHtml, PAGE_HEADERS } from '../pages/html.js';

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
    trusted: html`<span class="badge ok">verified</span> published by <b>${v.documentHost ?? ''}</b>`,
    verified: html`<span class="badge ok">domain verified</span> metadata published at <b>${v.documentHost ?? ''}</b>`,
    unverified: html`<span class="badge warn">unverified</span> this app registered itself; its name was not checked`,
    'docspace-app': html`<span class="badge warn">DocSpace OAuth app</span> an app is signing in with the DocSpace OAuth app <code>${v.clientId}</code>; check where it sends you back below`,
  }[v.identity];
  const loopbackWarning = v.redirectIsLoopback
    ? html`<p class="alert">This app will receive access on <b>this computer</b> (${redirectHost}). Continue only if you just started connecting from an app running here.</p>`
    : '';
  // Mode 2 has no name to show: the app signs in with a DocSpace OAuth app, not as itself.
  const heading =
    v.identity === 'docspace-app'
      ? 'Connect an app to your DocSpace?'
      : html`Allow <span data-testid="client-name">${v.clientName}</span> to use your DocSpace?`;
  return layout(
    v.identity === 'docspace-app' ? 'Connect an app to your DocSpace?' : 'Allow access to DocSpace?',
    html`<h1>${heading}</h1>
<p class="muted">${identity}</p>
<dl>
<dt>Portal</dt><dd data-testid="portal">${v.portalUrl}</dd>
<dt>After you decide, you go back to</dt><dd data-testid="redirect"><b>${redirectHost}</b> <span class="muted">${v.redirectUri}</span></dd>
</dl>
${loopbackWarning}
<p class="note" data-testid="next">If you allow, DocSpace will ask you to sign in (unless you already are) and to confirm access on a page of its own. That second question is DocSpace’s, and expected.</p>
<p class="muted">The app can then read and change your files, rooms and profile, with your rights, until you revoke it.</p>
<form method="post" action="${v.action}">
<input type="hidden" name="request" value="${v.requestId}">
<input type="hidden" name="csrf" value="${v.csrf}">
<label class="muted"><input type="checkbox" name="remember" value="1"> Remember my choice for this app in this browser</label>
<div class="buttons"><button type="submit" name="decision" value="deny">Deny</button><button class="primary" type="submit" name="decision" value="allow">Allow</button></div>
</form>`,
  );
}

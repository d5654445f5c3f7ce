import { type Html, html, layout, raw } from '../pages/html.js';
import type { AccessLevel } from './access-level.js';

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
  /** The level selected first (the operator's `DOCSPACE_OAUTH_DEFAULT_ACCESS`). */
  defaultAccess?: AccessLevel;
  /** False when the operator's tool settings allow reading only: no choice is offered. */
  writeAllowed?: boolean;
}

/** The person's choice of access for this app (radio buttons, labelled, no script). */
function accessChoice(v: ConsentView): Html {
  if (v.writeAllowed === false)
    return html`<p class="muted" data-testid="access-fixed">The app can read your files, rooms and profile, with your rights, and change nothing: this server allows reading only. You can revoke it at any time.</p>
<input type="hidden" name="access" value="read">`;
  const checked = (level: AccessLevel) => ((v.defaultAccess ?? 'write') === level ? raw(' checked') : '');
  return html`<fieldset class="access"><legend>What may this app do?</legend>
<label><input type="radio" name="access" value="read"${checked('read')}> <b>Read only</b> <span class="muted">find and read your files, rooms and people; change nothing</span></label>
<label><input type="radio" name="access" value="write"${checked('write')}> <b>Read and write</b> <span class="muted">also create, edit, move, share and delete, with your rights</span></label>
</fieldset>
<p class="muted">You can change this, or revoke the app, at any time on your connections page.</p>`;
}

const ACCESS_STYLE = raw(
  `<style>fieldset.access{border:1px solid #e3e6ec;border-radius:6px;padding:.5rem .9rem;margin:1rem 0}fieldset.access label{display:block;padding:.35rem 0}legend{font-weight:600;padding:0 .3rem}</style>`,
);

/** The app is not on the operator's list of allowed apps: a page naming the policy. */
export function notAllowedPage(v: {
  policy: string;
  clientName?: string;
  documentHost?: string;
  redirectUri: string;
}): string {
  const where = v.documentHost
    ? html`This app (${v.clientName ?? 'unnamed'}) is described at <b>${v.documentHost}</b> and sends you back to <code>${v.redirectUri}</code>.`
    : html`This app sends you back to <code>${v.redirectUri}</code>.`;
  return layout(
    'This app is not approved here',
    html`<h1>This app is not approved here</h1>
<p data-testid="policy">${v.policy}</p>
<p>${where}</p>
<p class="muted">Nothing was shared with it. If you need it, ask your DocSpace administrator to add it to the list of allowed apps.</p>`,
  );
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
    html`${ACCESS_STYLE}<h1>${heading}</h1>
<p class="muted">${identity}</p>
<dl>
<dt>Portal</dt><dd data-testid="portal">${v.portalUrl}</dd>
<dt>After you decide, you go back to</dt><dd data-testid="redirect"><b>${redirectHost}</b> <span class="muted">${v.redirectUri}</span></dd>
</dl>
${loopbackWarning}
<p class="note" data-testid="next">If you allow, DocSpace will ask you to sign in (unless you already are) and to confirm access on a page of its own. That second question is DocSpace’s, and expected.</p>
<form method="post" action="${v.action}">
${accessChoice(v)}
<input type="hidden" name="request" value="${v.requestId}">
<input type="hidden" name="csrf" value="${v.csrf}">
<label class="muted"><input type="checkbox" name="remember" value="1"> Remember my choice for this app in this browser</label>
<div class="buttons"><button type="submit" name="decision" value="deny">Deny</button><button class="primary" type="submit" name="decision" value="allow">Allow</button></div>
</form>`,
  );
}

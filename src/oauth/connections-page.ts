import { type Html, html, layout, raw } from '../pages/html.js';

/** One AI client connected to the person's account, as the connections page shows it. */
export interface ConnectionView {
  /** Our grant id: what Revoke names (only ever matched against the signed-in person's). */
  id: string;
  name: string;
  identity: 'trusted' | 'verified' | 'unverified' | 'docspace-app';
  documentHost?: string;
  redirectHosts: string[];
  connectedAt: number;
  /** When the connection lapses unless the app uses it (its refresh family's expiry). */
  expiresAt: number;
}

const IDENTITY: Record<ConnectionView['identity'], (v: ConnectionView) => Html> = {
  trusted: (v) => html`<span class="badge ok">verified</span> published by ${v.documentHost ?? ''}`,
  verified: (v) =>
    html`<span class="badge ok">domain verified</span> its description is served by ${v.documentHost ?? ''}`,
  unverified: () =>
    html`<span class="badge warn">unverified</span> it registered itself; its name was not checked`,
  'docspace-app': () =>
    html`<span class="badge warn">DocSpace OAuth app</span> it signed in with a DocSpace app's id`,
};

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

const EXTRA_STYLE =
  raw(`<style>table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{text-align:left;vertical-align:top;padding:.5rem .4rem;border-top:1px solid #e3e6ec}
th{font-size:.85rem;color:#5b6475}form.inline{display:inline}button.small{flex:none;padding:.3rem .8rem;font-size:.9rem}
button.danger{border-color:#b42318;color:#b42318}.notice{background:#dff5e3;border-left:4px solid #14532d;padding:.5rem .8rem}</style>`);

/** Not signed in (or the server has no DocSpace app to sign in with). */
export function signedOutPage(v: { portalUrl: string; available: boolean }): string {
  const body = v.available
    ? html`<p>See which AI apps are connected to your DocSpace account on <b>${v.portalUrl}</b>, and revoke any of them.</p>
<p class="muted">You will sign in with DocSpace. This page never shows your documents.</p>
<form method="get" action="/connections/sign-in"><div class="buttons"><button class="primary" type="submit">Sign in with DocSpace</button></div></form>`
    : html`<p>This server has no DocSpace OAuth app of its own, so there is no page to sign in to. Each app that connects brings its own DocSpace app; revoke it in DocSpace under your profile's OAuth settings.</p>`;
  return layout('Your AI connections', html`<h1>Your AI connections</h1>${body}`);
}

export function connectionsPage(v: {
  portalUrl: string;
  connections: ConnectionView[];
  csrf: string;
  notice?: string;
}): string {
  const csrf = html`<input type="hidden" name="csrf" value="${v.csrf}">`;
  const rows = v.connections.map(
    (c) => html`<tr data-testid="connection">
<td><b data-testid="connection-name">${c.name}</b><br><span class="muted">${IDENTITY[c.identity](c)}</span></td>
<td class="muted">${c.redirectHosts.length ? c.redirectHosts.map((h, i) => (i ? html`<br>${h}` : h)) : '—'}</td>
<td class="muted">${when(c.connectedAt)}</td>
<td><form class="inline" method="post" action="/connections/revoke">${csrf}<input type="hidden" name="connection" value="${c.id}"><button class="small danger" type="submit" aria-label="Revoke ${c.name}">Revoke</button></form></td>
</tr>`,
  );
  const table = rows.length
    ? html`<table><thead><tr><th scope="col">App</th><th scope="col">Sends you back to</th><th scope="col">Connected</th><th scope="col"><span class="muted">Action</span></th></tr></thead><tbody>${rows}</tbody></table>
<form method="post" action="/connections/revoke-all">${csrf}<div class="buttons"><button class="danger" type="submit">Revoke all</button></div></form>`
    : html`<p data-testid="empty">No AI app is connected to your account through this server.</p>`;
  return layout(
    'Your AI connections',
    html`${EXTRA_STYLE}<h1>Your AI connections</h1>
${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
<p class="muted">Apps connected to your DocSpace account on ${v.portalUrl} through this server. Each acts with your rights. Revoking ends its access at once, on every server instance; it can connect again only if you allow it again.</p>
${table}
<form method="post" action="/connections/sign-out">${csrf}<p><button class="small" type="submit">Sign out of this page</button></p></form>`,
  );
}

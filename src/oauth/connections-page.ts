import { type Html, html, layout, raw } from '../pages/html.js';
import { type AccessLevel, accessLevelLabel } from './access-level.js';

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
  /** What its requests may do now. */
  access: AccessLevel;
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

/** The access cell: the level, and the one button that changes it (no script needed). */
function accessCell(c: ConnectionView, csrf: Html, writeAllowed: boolean): Html {
  const label = html`<span data-testid="connection-access">${accessLevelLabel(c.access)}</span>`;
  const to: AccessLevel | undefined = c.access === 'write' ? 'read' : writeAllowed ? 'write' : undefined;
  if (!to) return label;
  const button = to === 'read' ? 'Make read only' : 'Allow writing…';
  return html`${label}<br><form class="inline" method="post" action="/connections/access">${csrf}<input type="hidden" name="connection" value="${c.id}"><input type="hidden" name="access" value="${to}"><button class="small" type="submit" aria-label="${`${button} ${c.name}`}">${button}</button></form>`;
}

export function connectionsPage(v: {
  portalUrl: string;
  connections: ConnectionView[];
  csrf: string;
  notice?: string;
  /** More sections of the page (personal access tokens, …), in order, before signing out. */
  sections?: Html[];
  /** False when the operator's settings allow reading only: no connection can be raised. */
  writeAllowed?: boolean;
  /** A portal owner or admin: the page links to everyone's connections. */
  admin?: boolean;
}): string {
  const csrf = html`<input type="hidden" name="csrf" value="${v.csrf}">`;
  const rows = v.connections.map(
    (c) => html`<tr data-testid="connection">
<td><b data-testid="connection-name">${c.name}</b><br><span class="muted">${IDENTITY[c.identity](c)}</span></td>
<td class="muted">${c.redirectHosts.length ? c.redirectHosts.map((h, i) => (i ? html`<br>${h}` : h)) : '—'}</td>
<td class="muted">${when(c.connectedAt)}</td>
<td>${accessCell(c, csrf, v.writeAllowed !== false)}</td>
<td><form class="inline" method="post" action="/connections/revoke">${csrf}<input type="hidden" name="connection" value="${c.id}"><button class="small danger" type="submit" aria-label="Revoke ${c.name}">Revoke</button></form></td>
</tr>`,
  );
  const table = rows.length
    ? html`<table><thead><tr><th scope="col">App</th><th scope="col">Sends you back to</th><th scope="col">Connected</th><th scope="col">Access</th><th scope="col"><span class="muted">Action</span></th></tr></thead><tbody>${rows}</tbody></table>
<form method="post" action="/connections/revoke-all">${csrf}<div class="buttons"><button class="danger" type="submit">Revoke all</button></div></form>`
    : html`<p data-testid="empty">No AI app is connected to your account through this server.</p>`;
  return layout(
    'Your AI connections',
    html`${EXTRA_STYLE}<h1>Your AI connections</h1>
${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
<p class="muted">Apps connected to your DocSpace account on ${v.portalUrl} through this server. Each acts with your rights. Revoking ends its access at once, on every server instance; it can connect again only if you allow it again.</p>
${table}
<p><a href="/connections/activity">Activity: what these apps did, and when</a></p>
${v.admin ? html`<p><a href="/connections/all">All connections on this portal</a> <span class="muted">(you are a portal admin)</span></p>` : ''}
${v.sections ?? []}
<form method="post" action="/connections/sign-out">${csrf}<p><button class="small" type="submit">Sign out of this page</button></p></form>`,
  );
}

/** Raising a connection to Read and write asks once more, naming what it will be able to do. */
export function confirmRaisePage(v: {
  name: string;
  connection: string;
  csrf: string;
  confirm: string;
}): string {
  return layout(
    'Allow writing?',
    html`<h1>Let <span data-testid="client-name">${v.name}</span> change your DocSpace?</h1>
<p>With <b>Read and write</b> access this app can create, edit, move, share and delete your files, rooms and folders, with your rights, from its next request on.</p>
<form method="post" action="/connections/access">
<input type="hidden" name="csrf" value="${v.csrf}">
<input type="hidden" name="connection" value="${v.connection}">
<input type="hidden" name="access" value="write">
<input type="hidden" name="confirm" value="${v.confirm}">
<div class="buttons"><a href="/connections">Keep Read only</a><button class="primary" type="submit">Allow reading and writing</button></div>
</form>`,
  );
}

/** The portal admins' view: every person's connections, one page of people at a time. */
export function allConnectionsPage(v: {
  portalUrl: string;
  groups: { userId: string; person?: string; connections: ConnectionView[] }[];
  csrf: string;
  page: number;
  pages: number;
  notice?: string;
}): string {
  const csrf = html`<input type="hidden" name="csrf" value="${v.csrf}">`;
  const rows = v.groups.flatMap((g) =>
    g.connections.map(
      (c) => html`<tr data-testid="connection">
<td>${g.person ? html`<span data-testid="connection-person-name">${g.person}</span><br>` : ''}<code class="muted" data-testid="connection-person">${g.userId}</code></td>
<td><b data-testid="connection-name">${c.name}</b><br><span class="muted">${IDENTITY[c.identity](c)}</span></td>
<td class="muted">${when(c.connectedAt)}</td>
<td>${accessLevelLabel(c.access)}</td>
<td><form class="inline" method="post" action="/connections/all/revoke">${csrf}<input type="hidden" name="connection" value="${c.id}"><button class="small danger" type="submit" aria-label="Revoke ${c.name} of ${g.userId}">Revoke</button></form></td>
</tr>`,
    ),
  );
  const links = [
    v.page > 1 ? html`<a href="/connections/all?page=${v.page - 1}" rel="prev">Previous page</a>` : undefined,
    v.page < v.pages
      ? html`<a href="/connections/all?page=${v.page + 1}" rel="next">Next page</a>`
      : undefined,
  ].filter((l): l is Html => l !== undefined);
  const nav = links.flatMap((l, i) => (i ? [raw(' · '), l] : [l]));
  const table = rows.length
    ? html`<table><thead><tr><th scope="col">Person</th><th scope="col">App</th><th scope="col">Connected</th><th scope="col">Access</th><th scope="col"><span class="muted">Action</span></th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p data-testid="empty">No AI app is connected on this page of people.</p>`;
  return layout(
    'All AI connections',
    html`${EXTRA_STYLE}<h1>All AI connections</h1>
${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
<p class="muted">Every person's AI apps connected to ${v.portalUrl} through this server; you see this as the portal's owner or an admin. Revoking ends the app's access at once; the person can connect it again.</p>
${table}
<p>${nav}${nav.length ? ' · ' : ''}Page ${v.page} of ${v.pages} · <a href="/connections">Your own connections</a></p>`,
  );
}

import type { Context, Hono } from 'hono';
import type { Logger } from 'pino';
import { escapeHtml, errorPage, htmlResponse, layout, raw } from '../pages/html.js';
import { isStoreUnavailable } from '../store/errors.js';
import { type ActivityEntry, type ActivityLog, type ActivityPage, describeOutcome } from './log.js';

/**
 * `/connections/activity`: the signed-in person's own activity log, newest first, a page at a
 * time, filtered by client with a plain GET form (no script). Who is signed in, and the names
 * of clients, come from the connections page (`src/oauth/connections.ts`) through `deps`.
 */
export interface ActivityPageDeps {
  log: ActivityLog;
  /** The signed-in person's user id, from the connections page's session; undefined when none. */
  personOf(c: Context): Promise<string | undefined>;
  /** A client's display name; undefined when its registration lapsed. */
  clientName(clientId: string, userId: string): Promise<string | undefined>;
  logger?: Logger;
  /** Entries per page. Default 25. */
  perPage?: number;
}

export const ACTIVITY_PATH = '/connections/activity';

const STYLE = `<style>main{max-width:62rem}table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{text-align:left;vertical-align:top;padding:.5rem .4rem;border-top:1px solid #e3e6ec}th{font-size:.85rem;color:#5b6475}
.failed{background:#fde8e8;color:#8a1c1c}.filter{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end}
.filter label{display:block;font-weight:600}.filter select{font:inherit;padding:.4rem;max-width:100%}
.filter button{flex:none;padding:.4rem 1rem}nav.pages{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
td ul{margin:0;padding-left:1rem}code{word-break:break-all}caption{text-align:left}
@media (max-width:44rem){table,caption,tbody,tr,td{display:block}thead{position:absolute;left:-9999px}
tr{border-top:1px solid #c7ccd6;padding:.4rem 0}td{border:0;padding:.15rem 0}
td::before{content:attr(data-label) ": ";font-weight:600;color:#5b6475}}</style>`;

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

function what(e: ActivityEntry): string {
  switch (e.kind) {
    case 'tool':
      return `Called <code>${escapeHtml(e.tool ?? '?')}</code>`;
    case 'connected':
      return 'Connected: you signed in with DocSpace and allowed this app';
    case 'signed_in':
      return 'You signed in to your connections page';
    case 'refresh_reused':
      return 'An already used refresh token came back: the connection was ended to protect your account';
    case 'revoked':
      return `Access ended${e.reason ? `: ${escapeHtml(e.reason)}` : ''}`;
  }
}

function touched(e: ActivityEntry): string {
  if (!e.touched?.length) return '<span class="muted">—</span>';
  const items = e.touched.map(
    (t) =>
      `<li>${t.title !== undefined ? escapeHtml(t.title) : ''}${
        t.id !== undefined ? ` <span class="muted">id&nbsp;${escapeHtml(t.id)}</span>` : ''
      }</li>`,
  );
  return `<ul>${items.join('')}</ul>`;
}

function outcome(e: ActivityEntry): string {
  if (e.kind !== 'tool') return e.kind === 'refresh_reused' ? '<span class="badge warn">refused</span>' : '—';
  const o = describeOutcome(e.outcome);
  const badge =
    o.status === 'ok'
      ? '<span class="badge ok">ok</span>'
      : o.status === 'refused'
        ? '<span class="badge warn">refused</span>'
        : '<span class="badge failed">failed</span>';
  return o.reason ? `${badge} ${escapeHtml(o.reason)}` : badge;
}

function link(page: number, clientId: string | undefined): string {
  const q = new URLSearchParams();
  if (clientId) q.set('client', clientId);
  if (page > 1) q.set('page', String(page));
  const query = q.toString();
  return escapeHtml(query ? `${ACTIVITY_PATH}?${query}` : ACTIVITY_PATH);
}

export function activityPage(v: {
  view: ActivityPage;
  names: Map<string, string>;
  clientId?: string;
  retentionDays?: number;
}): string {
  const name = (id: string | undefined) => (id ? (v.names.get(id) ?? 'Unnamed app') : '—');
  const options = v.view.clientIds.map(
    (id) =>
      `<option value="${escapeHtml(id)}"${id === v.clientId ? ' selected' : ''}>${escapeHtml(name(id))}</option>`,
  );
  const filter = `<form class="filter" method="get" action="${ACTIVITY_PATH}"><div><label for="client">App</label>
<select id="client" name="client"><option value="">All apps</option>${options.join('')}</select></div>
<button type="submit">Show</button></form>`;
  const rows = v.view.entries.map(
    (e) => `<tr data-testid="activity-entry">
<td data-label="When"><time datetime="${new Date(e.at).toISOString()}">${when(e.at)}</time></td>
<td data-label="App">${escapeHtml(name(e.clientId))}${e.clientId ? `<br><span class="muted">id&nbsp;<code>${escapeHtml(e.clientId)}</code></span>` : ''}</td>
<td data-label="What">${what(e)}</td>
<td data-label="Touched">${touched(e)}</td>
<td data-label="Outcome">${outcome(e)}</td>
<td data-label="Took">${e.durationMs === undefined ? '—' : `${e.durationMs}&nbsp;ms`}</td>
</tr>`,
  );
  const table = rows.length
    ? `<table><caption class="muted">${v.view.total} entr${v.view.total === 1 ? 'y' : 'ies'}${v.clientId ? ` of ${escapeHtml(name(v.clientId))}` : ''}, newest first</caption>
<thead><tr><th scope="col">When</th><th scope="col">App</th><th scope="col">What</th><th scope="col">Touched</th><th scope="col">Outcome</th><th scope="col">Took</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>`
    : `<p data-testid="empty">Nothing recorded${v.clientId ? ' for this app' : ''} yet.</p>`;
  const { page, pages } = v.view;
  const nav =
    pages > 1
      ? `<nav class="pages" aria-label="Pages">${page > 1 ? `<a href="${link(page - 1, v.clientId)}" rel="prev">Newer</a>` : ''}
<span>Page ${page} of ${pages}</span>${page < pages ? `<a href="${link(page + 1, v.clientId)}" rel="next">Older</a>` : ''}</nav>`
      : '';
  const kept = v.retentionDays ? ` Entries are kept ${v.retentionDays} days.` : '';
  return layout(
    'Activity of your AI connections',
    // Built as a string with escapeHtml on every value (test/unit/activity/page.test.ts).
    raw(`${STYLE}<p><a href="/connections">← Your AI connections</a></p><h1>Activity</h1>
<p class="muted">What the apps connected to your account did through this server, and the sign-ins and revocations of their access. Only names and ids of what they touched are kept, never the content of your documents.${kept}</p>
${filter}${table}${nav}`),
  );
}

function problem(
  status: number,
  title: string,
  message: string,
  deps: ActivityPageDeps,
  err?: unknown,
): Response {
  const ref = crypto.randomUUID().slice(0, 8);
  deps.logger?.[status >= 500 ? 'warn' : 'info'](
    { ref, status, err: err instanceof Error ? err.message : undefined },
    `activity page: ${title}`,
  );
  return htmlResponse(errorPage(title, message, ref), status, status === 503 ? { 'retry-after': '5' } : {});
}

export function mountActivityPage(app: Hono, deps: ActivityPageDeps): void {
  const perPage = deps.perPage ?? 25;
  app.get(ACTIVITY_PATH, async (c) => {
    try {
      const userId = await deps.personOf(c);
      if (!userId) return new Response(null, { status: 303, headers: { location: '/connections' } });
      const q = new URL(c.req.url).searchParams;
      const clientId = q.get('client') || undefined;
      const page = Number.parseInt(q.get('page') ?? '1', 10);
      const view = await deps.log.read(userId, { clientId, page: Number.isFinite(page) ? page : 1, perPage });
      // A client this person's log never named (another person's, or none): as unknown as can be.
      if (clientId && !view.clientIds.includes(clientId))
        return problem(
          404,
          'No such app in your activity',
          'There is no app with that id in your activity.',
          deps,
        );
      const names = new Map<string, string>();
      for (const id of view.clientIds) {
        const shown = await deps.clientName(id, userId);
        if (shown) names.set(id, shown);
      }
      return htmlResponse(
        activityPage({ view, names, clientId, retentionDays: deps.log.retentionDays }),
        200,
      );
    } catch (error) {
      if (isStoreUnavailable(error))
        return problem(
          503,
          'Your activity is briefly unavailable',
          'The server cannot reach its store right now, so it cannot show your activity. Try again in a moment.',
          deps,
          error,
        );
      return problem(500, 'Your activity cannot be shown', 'Something went wrong on our side.', deps, error);
    }
  });
}

import { html as honoHtml, raw } from 'hono/html';
import { escapeToBuffer, type HtmlEscapedString } from 'hono/utils/html';

/**
 * What every page a person sees from us shares: plain HTML, no script, every value escaped (by
 * hono/html: each `${value}` in an `html` template is escaped unless it is itself a fragment built
 * with `html`); the headers forbid framing and all sub-resources.
 */

/** A fragment of escaped HTML, built with `html`. */
export type Html = HtmlEscapedString;

/** hono/html's `html`; our values are never promises, so neither is its answer. */
export const html = honoHtml as (strings: TemplateStringsArray, ...values: unknown[]) => Html;
export { raw };

export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // Not `no-referrer`: under it browsers send `Origin: null` on our own form posts (Fetch,
  // "serializing a request origin"), which the Origin guard cannot tell from a forged post.
  // `same-origin` keeps the real Origin on our posts and still sends nothing to other sites.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** One value escaped as `html` escapes it, for markup built outside a template. */
export function escapeHtml(value: string): string {
  const buffer: [string] = [''];
  escapeToBuffer(value, buffer);
  return buffer[0];
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;background:#f4f5f7;color:#1d2433;margin:0}
main{max-width:34rem;margin:3rem auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 2px 12px #0002}
h1{font-size:1.3rem;margin:0 0 1rem}h2{font-size:1.05rem;margin:1.4rem 0 .4rem}.muted{color:#5b6475;font-size:.9rem}.badge{display:inline-block;border-radius:6px;padding:0 .4rem;font-size:.8rem}
.ok{background:#dff5e3;color:#14532d}.warn{background:#fff4d6;color:#7a4d00}dl{margin:1rem 0}dt{font-weight:600;margin-top:.6rem}dd{margin:0;word-break:break-all}
.alert{background:#fff4d6;border-left:4px solid #e0a000;padding:.5rem .8rem;margin:.6rem 0;font-size:.9rem}
.note{background:#eef3fc;border-left:4px solid #2867d6;padding:.5rem .8rem;margin:.6rem 0;font-size:.9rem}
.url{display:block;background:#f4f5f7;border-radius:8px;padding:.6rem .8rem;font:1rem ui-monospace,monospace;word-break:break-all;user-select:all}
.buttons{display:flex;gap:.8rem;margin-top:1.4rem}button{flex:1;font:inherit;padding:.6rem;border-radius:8px;border:1px solid #c7ccd6;background:#fff;cursor:pointer}
button.primary{background:#2867d6;border-color:#2867d6;color:#fff}code{font-size:.85rem}ul{padding-left:1.2rem}a{color:#2867d6}`;

export function layout(title: string, body: Html): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${raw(STYLE)}</style></head><body><main>${body}</main></body></html>`.toString();
}

export interface ErrorPageOptions {
  /** The demo: the person reading is the operator, so "ask your administrator" would send them nowhere. */
  demo?: boolean;
}

export function errorPage(title: string, message: string, ref: string, opts: ErrorPageOptions = {}): string {
  const refLine = opts.demo
    ? html`Reference: <code data-testid="ref">${ref}</code> (the server’s log line for this has it too).`
    : html`Reference: <code data-testid="ref">${ref}</code>. Mention it when you ask your administrator.`;
  return layout(
    title,
    html`<h1>${title}</h1><p data-testid="message">${message}</p><p class="muted">${refLine}</p>`,
  );
}

/** An HTML answer with the page headers. */
export function htmlResponse(html: string, status: number, extra: Record<string, string> = {}): Response {
  return new Response(html, { status, headers: { ...PAGE_HEADERS, ...extra } });
}

/** Whether the request is a browser navigation that wants a page rather than JSON. */
export function wantsHtml(req: Request): boolean {
  const accept = req.headers.get('accept') ?? '';
  return req.headers.get('sec-fetch-mode') === 'navigate' || /\btext\/html\b/.test(accept);
}

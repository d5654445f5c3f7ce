import type { Logger } from 'pino';
import { Authenticator } from './auth.js';
import type { Credential } from './credential.js';
import {
  type AnswerContext,
  type ApiResult,
  errorFromAnswer,
  parseRetryAfter,
  readEnvelope,
} from './envelope.js';
import { DocSpaceError } from './errors.js';
import { signedOutError } from './messages.js';
import { portalFetch } from './portal-fetch.js';
import type { AuthenticationTokenDto } from './types.js';

/** Time, sleeping and randomness, injectable so retry tests run instantly and deterministically. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
  random: () => Math.random(),
};

export type QueryScalar = string | number | boolean;
export type QueryValue = QueryScalar | readonly QueryScalar[] | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  /** Query parameters; arrays become repeated keys (`fields=a&fields=b`), undefined is skipped. */
  query?: Query;
  /** Plain values are sent as JSON; FormData, Blob, Uint8Array and strings as they are. */
  body?: unknown;
  signal?: AbortSignal;
  /** Safe to send twice? Defaults to true for GET/HEAD only. Only idempotent requests are retried. */
  idempotent?: boolean;
  /** What the request is about ("file 123"), used in error messages. */
  subject?: string;
  /** Per-attempt time limit; defaults to the client's. */
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Send no credentials (sign-in). */
  anonymous?: boolean;
}

export interface RetryOptions {
  /** Attempts in all, including the first (1 = never retry). */
  attempts: number;
  /** Longest single wait; a longer `Retry-After` ends the retries. */
  maxDelayMs: number;
  /** First backoff step; doubles each attempt. */
  baseDelayMs?: number;
  /** Total time the retries of one request may take. */
  budgetMs?: number;
}

export interface TransportOptions {
  /** Portal address, e.g. `https://example.onlyoffice.com` (a trailing slash is fine). */
  baseUrl: string;
  credential: Credential;
  fetch?: typeof fetch;
  /** Per-attempt limit for each HTTP request (default 30 s). */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Forwarded as `X-Request-ID` so DocSpace logs can be matched to ours. */
  requestId?: string;
  userAgent?: string;
  logger?: Logger;
  clock?: Partial<Clock>;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const DEFAULT_RETRY: Required<RetryOptions> = {
  attempts: 3,
  maxDelayMs: 5_000,
  baseDelayMs: 250,
  budgetMs: 20_000,
};
const MAX_REDIRECTS = 5;
const TIMEOUT = Symbol('timeout');
const SELF_CHECK_TIMEOUT_MS = 10_000;

/**
 * Whether an answer may come from DocSpace running the request as a signed-out visitor. Routes
 * marked `[AllowAnonymous]` do that when the credential fails (an expired session, a revoked key):
 * instead of 401 they answer 403 ("You don't have enough permission…", a bare 403 for a wrong API
 * key), and a bulk download answers 404, its permission check finding nothing the visitor may
 * download (docs/docspace-behaviour.md).
 */
function maySignalSignedOut(status: number, method: string, url: URL): boolean {
  if (status === 403) return true;
  return (
    status === 404 && method === 'PUT' && /\/api\/2\.0\/files\/fileops\/bulkdownload$/.test(url.pathname)
  );
}

/**
 * HTTP to one DocSpace portal: URLs, credentials (own origin only), timeouts, cancellation,
 * retries of idempotent requests, envelope unwrapping and error mapping.
 */
export class Transport {
  readonly baseUrl: string;
  readonly origin: string;
  protected readonly fetchImpl: typeof fetch;
  readonly clock: Clock;
  protected readonly timeoutMs: number;
  protected readonly retry: Required<RetryOptions>;
  protected readonly logger?: Logger;
  private readonly auth: Authenticator;
  private readonly extraHeaders: Record<string, string>;

  constructor(opts: TransportOptions) {
    const url = new URL(opts.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new DocSpaceError(
        'bad_request',
        `The DocSpace address must be an http(s) URL, got "${url.protocol}".`,
      );
    }
    this.baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    this.origin = url.origin;
    this.fetchImpl = opts.fetch ?? portalFetch;
    this.clock = { ...systemClock, ...opts.clock };
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.logger = opts.logger;
    this.extraHeaders = {};
    if (opts.userAgent) this.extraHeaders['user-agent'] = opts.userAgent;
    if (opts.requestId) this.extraHeaders['x-request-id'] = opts.requestId;
    this.auth = new Authenticator(
      opts.credential,
      this.origin,
      (u, p) => this.signIn(u, p),
      () => this.clock.now(),
    );
  }

  /**
   * Who DocSpace sees behind this client's credential on this portal: a key for work DocSpace lets
   * each person do one at a time (conversions). Holds no secret.
   */
  get personKey(): string {
    return `${this.origin}\u0000${this.auth.personKey}`;
  }

  /**
   * Asks DocSpace whether the credential still signs in, with `people/@self` (not `[AllowAnonymous]`,
   * so a failed credential gets 401 there). A password sign-in that expired is dropped, so the next
   * request signs in again (`'renewed'`); any other credential DocSpace no longer accepts throws
   * `unauthorized`. Anything but a 401 counts as signed in: the caller's own error then stands.
   */
  async confirmSignedIn(signal?: AbortSignal, request = 'the request'): Promise<'valid' | 'renewed'> {
    const authValue = await this.auth.header();
    return this.settleSignedOut(authValue, request, signal);
  }

  private async settleSignedOut(
    authValue: string,
    request: string,
    signal?: AbortSignal,
  ): Promise<'valid' | 'renewed'> {
    if (!(await this.signedOut(authValue, signal))) return 'valid';
    if (await this.auth.renew(authValue)) return 'renewed';
    throw signedOutError(request, this.auth.kind);
  }

  /** True when `people/@self` answers 401 to `authValue`. */
  private async signedOut(authValue: string, signal?: AbortSignal): Promise<boolean> {
    const timer = new AbortController();
    const t = setTimeout(() => timer.abort(TIMEOUT), Math.min(this.timeoutMs, SELF_CHECK_TIMEOUT_MS));
    const onAbort = () => timer.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const url = this.url('people/@self', { fields: 'id' });
      const res = await this.send('GET', url, {}, authValue, timer.signal);
      await res.body?.cancel();
      this.logger?.debug({ status: res.status }, 'docspace credential check');
      return res.status === 401;
    } catch {
      if (signal?.aborted) throw this.aborted('GET /api/2.0/people/@self', signal.reason);
      return false;
    } finally {
      clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Calls `/api/2.0/<path>` and returns the envelope's `response`.
   * @example
   * {@includeCode ./client.examples.ts#request}
   * (type-checked: `client.examples.ts`, region `request`)
   */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    return (await this.requestResult<T>(method, path, opts)).response;
  }

  /** Like `request`, but keeps the envelope's `count` and `total`. */
  async requestResult<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResult<T>> {
    const url = this.url(path, opts.query);
    return this.run(method, url, opts, (res) => readEnvelope<T>(res, this.context(method, url, opts)));
  }

  /**
   * Sends a request and hands back the raw `Response` once its headers arrive (non-2xx answers
   * become errors). The body is the caller's to read; the caller's signal still cancels it.
   * `url` may be absolute; credentials are attached only when it is on the portal's origin.
   */
  async fetchRaw(method: string, url: string, opts: RequestOptions = {}): Promise<Response> {
    const target = this.url(url, opts.query);
    return this.run(
      method,
      target,
      opts,
      async (res) => {
        if (!res.ok) throw await errorFromAnswer(res, this.context(method, target, opts));
        return res;
      },
      true,
    );
  }

  /** Resolves `path`: absolute URL, `/portal-root-path`, or a path below `/api/2.0/`. */
  url(path: string, query?: Query): URL {
    let url: URL;
    if (/^https?:\/\//i.test(path)) url = new URL(path);
    else {
      const segments = path.split('?')[0]?.replace(/^\//, '').split('/') ?? [];
      // An id of "", "." or ".." (encoded or not) would make the URL resolve to another endpoint.
      if (segments.some((s) => s === '' || /^(\.|%2e){1,2}$/i.test(s))) {
        throw new DocSpaceError(
          'bad_request',
          `"${path}" is not a valid DocSpace API path; check the ids in it.`,
        );
      }
      url = new URL(path.startsWith('/') ? `${this.baseUrl}${path}` : `${this.baseUrl}/api/2.0/${path}`);
    }
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
    }
    return url;
  }

  private async signIn(userName: string, password: string): Promise<{ token: string; expiresAt?: number }> {
    let dto: AuthenticationTokenDto;
    try {
      dto = await this.request<AuthenticationTokenDto>('POST', 'authentication', {
        body: { userName, password },
        anonymous: true,
        subject: 'the sign-in',
      });
    } catch (e) {
      if (e instanceof DocSpaceError && (e.code === 'unauthorized' || e.code === 'not_found')) {
        throw new DocSpaceError(
          'unauthorized',
          'DocSpace did not accept the user name and password. Check them, or use an API key instead.',
          { status: e.status, docspaceMessage: e.docspaceMessage, request: e.request },
        );
      }
      throw e;
    }
    if (!dto?.token) {
      const why =
        dto?.tfa || dto?.sms ? 'the account requires two-factor sign-in' : 'DocSpace returned no token';
      throw new DocSpaceError(
        'unauthorized',
        `Signing in to DocSpace with a user name and password failed: ${why}. Use an API key or a personal access token instead.`,
        { status: 200 },
      );
    }
    const at = dto.expires ? Date.parse(dto.expires) : Number.NaN;
    // "0001-01-01T00:00:00" marks a session token without a fixed expiry.
    return { token: dto.token, expiresAt: Number.isNaN(at) || at <= 0 ? undefined : at };
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    // "Equal jitter": at least half the step, so retries never bunch at zero.
    return Math.round(ceiling / 2 + (this.clock.random() * ceiling) / 2);
  }

  private async run<R>(
    method: string,
    url: URL,
    opts: RequestOptions,
    consume: (res: Response) => Promise<R>,
    /** The body is read after `run` returns: the caller's signal must keep cancelling it. */
    streamed = false,
  ): Promise<R> {
    const idempotent = opts.idempotent ?? (method === 'GET' || method === 'HEAD');
    const started = this.clock.now();
    const label = `${method} ${url.pathname}`;
    let renewed = false;
    let selfChecked = false;
    for (let attempt = 1; ; attempt++) {
      if (opts.signal?.aborted) throw this.aborted(label, opts.signal.reason);
      // One controller per attempt, aborted by the timeout or the caller's signal. Not
      // `AbortSignal.any`: an extra signal per request, and in Node 20 a composite signal with
      // listeners stays in memory until it aborts (docs/performance.md §1).
      const timer = new AbortController();
      const t = setTimeout(() => timer.abort(TIMEOUT), opts.timeoutMs ?? this.timeoutMs);
      const caller = opts.signal;
      const onCallerAbort = () => timer.abort(caller?.reason);
      caller?.addEventListener('abort', onCallerAbort, { once: true });
      const signal = timer.signal;
      let handedOver = false;
      let authValue: string | undefined;
      try {
        const own = url.origin === this.origin;
        if (own && !opts.anonymous) authValue = await this.auth.header();
        const res = await this.send(method, url, opts, authValue, signal);
        this.logger?.debug({ method, path: url.pathname, status: res.status, attempt }, 'docspace request');
        if (res.status === 401 && authValue !== undefined && !renewed && (await this.auth.renew(authValue))) {
          // A 401 means the request was not processed, so even a POST may go again.
          renewed = true;
          await res.body?.cancel();
          attempt--;
          continue;
        }
        if (authValue !== undefined && !selfChecked && maySignalSignedOut(res.status, method, url)) {
          // "No permission" or "not signed in any more"? DocSpace cannot tell us here; @self can.
          selfChecked = true;
          const state = await this.settleSignedOut(authValue, label, opts.signal).catch(async (e) => {
            await res.body?.cancel();
            throw e;
          });
          if (state === 'renewed' && !renewed) {
            renewed = true;
            await res.body?.cancel();
            attempt--;
            continue;
          }
        }
        if (RETRY_STATUSES.has(res.status) && idempotent && attempt < this.retry.attempts) {
          const hinted = parseRetryAfter(res.headers.get('retry-after'), this.clock.now());
          const delay = hinted ?? this.backoff(attempt);
          if (delay <= this.retry.maxDelayMs && this.clock.now() - started + delay <= this.retry.budgetMs) {
            await res.body?.cancel();
            clearTimeout(t);
            await this.pause(delay, opts.signal, label);
            continue;
          }
        }
        const result = await consume(res);
        handedOver = streamed;
        return result;
      } catch (e) {
        if (e instanceof DocSpaceError) throw e;
        if (opts.signal?.aborted) throw this.aborted(label, opts.signal.reason);
        if (timer.signal.aborted) {
          throw new DocSpaceError(
            'timeout',
            `DocSpace did not answer ${label} within ${Math.round((opts.timeoutMs ?? this.timeoutMs) / 1000)} s; try again later.`,
            { request: label, cause: e },
          );
        }
        const delay = this.backoff(attempt);
        if (
          idempotent &&
          attempt < this.retry.attempts &&
          this.clock.now() - started + delay <= this.retry.budgetMs
        ) {
          this.logger?.debug({ method, path: url.pathname, attempt }, 'docspace connection failed, retrying');
          clearTimeout(t);
          await this.pause(delay, opts.signal, label);
          continue;
        }
        throw new DocSpaceError(
          'network',
          `Could not reach DocSpace at ${url.origin} (${label}): ${describeNetworkError(e)}. Check the portal address and that it is online.`,
          { request: label, cause: e },
        );
      } finally {
        clearTimeout(t);
        if (!handedOver) caller?.removeEventListener('abort', onCallerAbort);
      }
    }
  }

  private async pause(ms: number, signal: AbortSignal | undefined, label: string): Promise<void> {
    try {
      await this.clock.sleep(ms, signal);
    } catch (e) {
      throw this.aborted(label, e);
    }
  }

  private aborted(label: string, reason: unknown): DocSpaceError {
    return new DocSpaceError('aborted', `The request ${label} was cancelled.`, {
      request: label,
      cause: reason,
    });
  }

  /** One HTTP exchange, following redirects by hand so credentials never follow one off-origin. */
  private async send(
    method: string,
    url: URL,
    opts: RequestOptions,
    authValue: string | undefined,
    signal: AbortSignal,
  ): Promise<Response> {
    let current = url;
    let currentMethod = method;
    let body = encodeBody(opts.body);
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = {
        accept: 'application/json',
        ...this.extraHeaders,
        ...opts.headers,
      };
      if (body.contentType) headers['content-type'] = body.contentType;
      if (authValue !== undefined && current.origin === this.origin) headers.authorization = authValue;
      const res = await this.fetchImpl(current, {
        method: currentMethod,
        headers,
        body: body.value,
        signal,
        redirect: 'manual',
      });
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location || hop >= MAX_REDIRECTS) return res;
      await res.body?.cancel();
      current = new URL(location, current);
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && currentMethod === 'POST')) {
        currentMethod = 'GET';
        body = {};
      }
    }
  }

  private context(method: string, url: URL, opts: RequestOptions): AnswerContext {
    return {
      method,
      url,
      subject: opts.subject,
      credentialKind: opts.anonymous ? undefined : this.auth.kind,
      now: this.clock.now(),
    };
  }
}

function describeNetworkError(e: unknown): string {
  const cause =
    typeof e === 'object' && e !== null && 'cause' in e ? (e as { cause?: unknown }).cause : undefined;
  const code =
    typeof cause === 'object' && cause !== null && typeof (cause as { code?: unknown }).code === 'string'
      ? (cause as { code: string }).code
      : undefined;
  if (code) return `connection failed (${code})`;
  return e instanceof Error ? e.message : 'connection failed';
}

interface EncodedBody {
  value?: RequestInit['body'];
  contentType?: string;
}

function encodeBody(body: unknown): EncodedBody {
  if (body === undefined) return {};
  if (typeof body === 'string') return { value: body, contentType: 'text/plain; charset=utf-8' };
  if (body instanceof FormData || body instanceof Blob || body instanceof URLSearchParams)
    return { value: body };
  if (body instanceof Uint8Array) return { value: body, contentType: 'application/octet-stream' };
  return { value: JSON.stringify(body), contentType: 'application/json' };
}

export type { ApiResult };

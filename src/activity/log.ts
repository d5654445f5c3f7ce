import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AuditEvent, AuditSink } from '../audit/index.js';
import type { Store } from '../store/store.js';
import { MAX_ID_LENGTH, MAX_TITLE_LENGTH, MAX_TOUCHED, type Touched } from '../tools/touched.js';

/**
 * Each person's activity log: the tool calls their clients made and the events of their grants
 * (connected, signed in to /connections, refresh-token reuse, revocation), fed from the audit
 * events that name the person. One store log per person (`activity:log:<userId>`): newest
 * first, at most `maxEntries`, each entry kept `retentionDays`. An entry holds ids, titles,
 * codes and times — never arguments, document content, tokens or secrets.
 */
export type ActivityKind = 'tool' | 'connected' | 'signed_in' | 'refresh_reused' | 'revoked';

export interface ActivityEntry {
  /** Unique within the person's log. */
  id: string;
  /** Milliseconds since the epoch. */
  at: number;
  kind: ActivityKind;
  clientId?: string;
  tool?: string;
  /** `ok` or the call's outcome code (see `describeOutcome`). */
  outcome?: string;
  durationMs?: number;
  touched?: Touched[];
  /** A short reason of our own words (revocations), never a client's or DocSpace's text. */
  reason?: string;
}

export interface ActivitySettings {
  /** `DOCSPACE_ACTIVITY_RETENTION_DAYS`. */
  retentionDays: number;
  /** `DOCSPACE_ACTIVITY_MAX_ENTRIES`. */
  maxEntries: number;
}

export interface ActivityPage {
  entries: ActivityEntry[];
  /** Entries matching the filter, across pages. */
  total: number;
  page: number;
  pages: number;
  /** Every client the log names, for the filter (newest first). */
  clientIds: string[];
}

export interface ActivityLog {
  /** How long entries are kept (for the page to say so). */
  readonly retentionDays: number;
  /** For `createAudit`: writes in the background; a failed write is logged, never thrown. */
  sink: AuditSink;
  /** Writes one event now (the sink without the background); resolves when stored. */
  record(event: AuditEvent & { at: number }): Promise<void>;
  /** One page of a person's log, newest first; throws `StoreUnavailableError` when the store is away. */
  read(userId: string, query: { clientId?: string; page: number; perPage: number }): Promise<ActivityPage>;
}

const KINDS: Partial<Record<AuditEvent['event'], ActivityKind>> = {
  'tool.called': 'tool',
  'grant.issued': 'connected',
  'connections.signed_in': 'signed_in',
  'refresh.reused': 'refresh_reused',
  'token.revoked': 'revoked',
};

const MAX_REASON_LENGTH = 120;
const MAX_CODE_LENGTH = 40;

export const activityKey = (userId: string) => `activity:log:${userId}`;

/** The stored form: short field names (it is paid per entry, up to `maxEntries` per person). */
const Stored = z.object({
  i: z.string(),
  a: z.number(),
  k: z.enum(['tool', 'connected', 'signed_in', 'refresh_reused', 'revoked']),
  c: z.string().optional(),
  t: z.string().optional(),
  o: z.string().optional(),
  d: z.number().optional(),
  x: z.array(z.object({ i: z.string().optional(), n: z.string().optional() })).optional(),
  r: z.string().optional(),
});

// Unique within a log across instances: a random prefix per process and a counter (cheaper per
// call than random bytes per entry).
const INSTANCE = randomBytes(6).toString('base64url');
let counter = 0;
const nextId = () => `${INSTANCE}${(counter++).toString(36)}`;

const clip = (value: string, max: number) => (value.length <= max ? value : value.slice(0, max));

/** The entry an audit event makes, or undefined when it is not about one person. */
export function entryOf(event: AuditEvent & { at: number }): ActivityEntry | undefined {
  const kind = KINDS[event.event];
  if (!kind || !event.userId) return undefined;
  const entry: ActivityEntry = { id: nextId(), at: event.at, kind };
  if (event.clientId) entry.clientId = clip(event.clientId, 512);
  if (kind === 'tool') {
    if (event.tool) entry.tool = clip(event.tool, MAX_CODE_LENGTH);
    entry.outcome = clip(
      event.outcome === 'success' ? (event.reason ?? 'ok') : (event.reason ?? 'failed'),
      MAX_CODE_LENGTH,
    );
    if (event.durationMs !== undefined) entry.durationMs = Math.round(event.durationMs);
    const touched = (event.touched ?? []).slice(0, MAX_TOUCHED).flatMap((t) => {
      const one: Touched = {};
      if (typeof t.id === 'string') one.id = clip(t.id, MAX_ID_LENGTH);
      if (typeof t.title === 'string') one.title = clip(t.title, MAX_TITLE_LENGTH);
      return one.id === undefined && one.title === undefined ? [] : [one];
    });
    if (touched.length) entry.touched = touched;
  } else if (event.reason) {
    entry.reason = clip(event.reason, MAX_REASON_LENGTH);
  }
  return entry;
}

export function encodeEntry(e: ActivityEntry): string {
  return JSON.stringify({
    i: e.id,
    a: e.at,
    k: e.kind,
    c: e.clientId,
    t: e.tool,
    o: e.outcome,
    d: e.durationMs,
    x: e.touched?.map((t) => ({ i: t.id, n: t.title })),
    r: e.reason,
  });
}

export function decodeEntry(raw: string): ActivityEntry | undefined {
  let parsed: z.infer<typeof Stored>;
  try {
    parsed = Stored.parse(JSON.parse(raw));
  } catch {
    return undefined;
  }
  const entry: ActivityEntry = { id: parsed.i, at: parsed.a, kind: parsed.k };
  if (parsed.c !== undefined) entry.clientId = parsed.c;
  if (parsed.t !== undefined) entry.tool = parsed.t;
  if (parsed.o !== undefined) entry.outcome = parsed.o;
  if (parsed.d !== undefined) entry.durationMs = parsed.d;
  if (parsed.x !== undefined)
    entry.touched = parsed.x.map((t) => ({
      ...(t.i === undefined ? {} : { id: t.i }),
      ...(t.n === undefined ? {} : { title: t.n }),
    }));
  if (parsed.r !== undefined) entry.reason = parsed.r;
  return entry;
}

/**
 * @example
 * const activity = createActivityLog({ store, settings: { retentionDays: 30, maxEntries: 1000 }, logger });
 * const audit = createAudit(logger, activity.sink);
 * const page = await activity.read(userId, { page: 1, perPage: 25 });
 */
export function createActivityLog(deps: {
  store: Store;
  settings: ActivitySettings;
  logger?: Logger;
  now?: () => number;
}): ActivityLog {
  const { store, settings, logger } = deps;
  const now = deps.now ?? Date.now;
  const limits = {
    maxLength: Math.max(1, settings.maxEntries),
    maxAgeSeconds: settings.retentionDays * 86_400,
  };
  const on = settings.maxEntries > 0;

  async function record(event: AuditEvent & { at: number }): Promise<void> {
    if (!on || !event.userId) return;
    const entry = entryOf(event);
    if (!entry) return;
    await store.appendLog(activityKey(event.userId), encodeEntry(entry), entry.at, limits);
  }

  return {
    retentionDays: settings.retentionDays,
    record,
    sink(event) {
      if (!on || !event.userId || !KINDS[event.event]) return;
      record(event).catch((err: unknown) => {
        logger?.warn(
          { err: err instanceof Error ? err.message : String(err), event: event.event },
          'activity log write failed',
        );
      });
    },
    async read(userId, query) {
      if (!on) return { entries: [], total: 0, page: 1, pages: 1, clientIds: [] };
      const since = now() - limits.maxAgeSeconds * 1000;
      // The whole log (bounded by `maxEntries`) in one round trip: the filter and its list of
      // clients need every entry; a person reads this page now and then, never per call.
      const { entries: raw } = await store.readLog(activityKey(userId), {
        since,
        offset: 0,
        count: limits.maxLength,
      });
      const all = raw.flatMap((r) => decodeEntry(r) ?? []);
      const clientIds = [...new Set(all.flatMap((e) => (e.clientId ? [e.clientId] : [])))];
      const matching = query.clientId ? all.filter((e) => e.clientId === query.clientId) : all;
      const perPage = Math.max(1, query.perPage);
      const pages = Math.max(1, Math.ceil(matching.length / perPage));
      const page = Math.min(Math.max(1, Math.floor(query.page) || 1), pages);
      return {
        entries: matching.slice((page - 1) * perPage, page * perPage),
        total: matching.length,
        page,
        pages,
        clientIds,
      };
    },
  };
}

/** Outcome codes people may read as "refused": the server, the person or DocSpace said no. */
const REFUSED: Record<string, string> = {
  not_confirmed: 'Not done: it needed the person’s confirmation, which was not given.',
  forbidden: 'DocSpace refused: this account may not do that.',
  unauthorized: 'DocSpace did not accept the sign-in.',
  access_withheld: 'Not allowed by this connection’s access level.',
  unknown_tool: 'No such tool on this server.',
};

const FAILED: Record<string, string> = {
  cancelled: 'Cancelled before it finished.',
  not_found: 'DocSpace found no such item.',
  bad_request: 'DocSpace rejected the request.',
  invalid_arguments: 'The arguments did not fit the tool.',
  not_configured: 'The server could not act for this request.',
  quota: 'DocSpace storage quota is full.',
  conflict: 'It conflicted with the current state in DocSpace.',
  rate_limited: 'DocSpace asked to slow down.',
  unavailable: 'DocSpace was unavailable.',
  timeout: 'DocSpace did not answer in time.',
  operation_failed: 'The DocSpace operation failed.',
  too_large: 'The file was too large.',
  network: 'DocSpace could not be reached.',
  invalid_response: 'DocSpace answered with something unexpected.',
  internal: 'A fault in this server (it is in the server log).',
};

/**
 * How a call ended, as the page words it: `ok`, `refused` or `failed`, and for the latter two
 * one sentence of our own chosen by the outcome code (never the result text, which could quote
 * content).
 */
export function describeOutcome(outcome: string | undefined): {
  status: 'ok' | 'refused' | 'failed';
  reason?: string;
} {
  if (outcome === undefined || outcome === 'ok') return { status: 'ok' };
  // Not an end: the person was asked, and their answer comes back as the next call.
  if (outcome === 'input_required') return { status: 'ok', reason: 'It asked the person to confirm first.' };
  const refused = REFUSED[outcome];
  if (refused) return { status: 'refused', reason: refused };
  return { status: 'failed', reason: FAILED[outcome] ?? `It failed (${outcome}).` };
}

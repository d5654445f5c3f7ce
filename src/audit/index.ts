import type { Logger } from 'pino';

/**
 * Security-relevant events, one log line each on a child logger marked `audit: true`, so an
 * operator can route them apart. Events name who (user, client) and what happened, never a
 * token, code or secret.
 */
export type AuditEventName =
  | 'client.registered'
  | 'consent.allowed'
  | 'consent.denied'
  | 'grant.issued'
  | 'token.refreshed'
  | 'refresh.reused'
  | 'token.revoked'
  | 'token.rejected'
  | 'tool.called'
  | 'connections.signed_in'
  | 'grant.access_changed'
  | 'client.refused';

export interface AuditEvent {
  event: AuditEventName;
  outcome: 'success' | 'failure';
  userId?: string;
  clientId?: string;
  /** Reference id shown to the person, when there is one. */
  ref?: string;
  /** A short machine reason for failures (`expired`, `audience`, `reuse`, …). */
  reason?: string;
  /** Tool name for `tool.called`. */
  tool?: string;
  /** How long a tool call took, rounded to milliseconds (`tool.called`). */
  durationMs?: number;
  /** The HTTP request id (`X-Request-ID`), to join the audit line with the access log. */
  requestId?: string;
  /**
   * Ids and titles a tool call touched (`tool.called`), for the person's own activity log
   * (src/activity). Titles are personal data: they go to the sink, not into the log line.
   */
  touched?: { id?: string; title?: string }[];
}

export interface Audit {
  record(event: AuditEvent): void;
}

export type AuditSink = (event: AuditEvent & { at: number }) => void;

function withoutTouched({ touched: _personal, ...line }: AuditEvent): AuditEvent {
  return line;
}

export function createAudit(logger?: Logger, sink?: AuditSink): Audit {
  const log = logger?.child({ audit: true });
  return {
    record(event) {
      const level = event.outcome === 'success' ? 'info' : 'warn';
      log?.[level](event.touched ? withoutTouched(event) : event, `audit ${event.event}`);
      sink?.({ ...event, at: Date.now() });
    },
  };
}

/** An in-memory sink for tests: collects every event. */
export function createMemoryAuditSink(): { events: (AuditEvent & { at: number })[]; sink: AuditSink } {
  const events: (AuditEvent & { at: number })[] = [];
  return { events, sink: (e) => events.push(e) };
}

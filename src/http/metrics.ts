/**
 * A small Prometheus registry: counters and histograms with labels, rendered in the text
 * exposition format. Hand-written because the server needs five metrics, not a client library.
 */

type Labels = Record<string, string>;

function key(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map(
      (k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
    )
    .join(',');
}

class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(key(labels)) ?? 0;
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of this.values) out.push(`${this.name}${k ? `{${k}}` : ''} ${v}`);
    return out;
  }
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

class Histogram {
  private readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: number[] = SECONDS_BUCKETS,
  ) {}
  observe(labels: Labels, value: number): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (!s) {
      s = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(k, s);
    }
    for (let i = 0; i < this.bounds.length; i++)
      if (value <= (this.bounds[i] as number)) s.buckets[i] = (s.buckets[i] as number) + 1;
    s.sum += value;
    s.count++;
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.series) {
      const sep = k ? ',' : '';
      for (let i = 0; i < this.bounds.length; i++) {
        out.push(`${this.name}_bucket{${k}${sep}le="${this.bounds[i]}"} ${s.buckets[i]}`);
      }
      out.push(`${this.name}_bucket{${k}${sep}le="+Inf"} ${s.count}`);
      out.push(`${this.name}_sum${k ? `{${k}}` : ''} ${s.sum}`);
      out.push(`${this.name}_count${k ? `{${k}}` : ''} ${s.count}`);
    }
    return out;
  }
}

/** The server's metrics. One instance per process (or per test server). */
export class Metrics {
  readonly httpRequests = new Counter(
    'docspace_mcp_http_requests_total',
    'HTTP requests by route, method and status.',
  );
  readonly httpDuration = new Histogram(
    'docspace_mcp_http_request_duration_seconds',
    'HTTP request duration by route.',
  );
  readonly toolCalls = new Counter(
    'docspace_mcp_tool_calls_total',
    'Tool calls by tool and outcome: ok, input_required, cancelled, or an error code (forbidden, not_found, invalid_arguments, not_confirmed, internal, …).',
  );
  readonly toolDuration = new Histogram(
    'docspace_mcp_tool_call_duration_seconds',
    'Tool call duration by tool.',
  );
  readonly docspaceDuration = new Histogram(
    'docspace_mcp_docspace_request_duration_seconds',
    'DocSpace API call duration by method and status.',
  );
  readonly oauthEvents = new Counter(
    'docspace_mcp_oauth_events_total',
    'OAuth events (grant, refresh, revoke, failure, …).',
  );
  readonly rateLimited = new Counter(
    'docspace_mcp_rate_limited_total',
    'Requests refused with 429, by limit.',
  );

  render(): string {
    const all = [
      this.httpRequests,
      this.httpDuration,
      this.toolCalls,
      this.toolDuration,
      this.docspaceDuration,
      this.oauthEvents,
      this.rateLimited,
    ];
    return `${all.flatMap((m) => m.render()).join('\n')}\n`;
  }
}

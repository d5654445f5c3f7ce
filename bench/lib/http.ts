import http from 'node:http';

/**
 * A bare keep-alive HTTP client for the load generator. node:http with a pooled agent costs
 * the bench process less CPU per request than fetch, and on a 2-core machine every cycle the
 * generator spends is one the server under test does not get.
 */
export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 1024 });

export function request(
  url: string,
  opts: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    timeoutMs?: number;
  } = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const headers: Record<string, string | number> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-length'] = Buffer.byteLength(opts.body);
    const req = http.request(
      {
        hostname: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: opts.method ?? 'GET',
        headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(opts.timeoutMs ?? 120_000, () =>
      req.destroy(new Error(`timeout: ${opts.method ?? 'GET'} ${u.pathname}`)),
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Closes pooled sockets so the bench process can exit. */
export function closeAgent(): void {
  agent.destroy();
}

/** Cookie jar for hand-driven browser flows: name → value, per origin is not needed on loopback. */
export class CookieJar {
  private readonly jar = new Map<string, Map<string, string>>();

  store(url: string, headers: http.IncomingHttpHeaders): void {
    const raw = headers['set-cookie'];
    if (!raw) return;
    const host = new URL(url).host;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    for (const line of raw) {
      const pair = line.split(';')[0] ?? '';
      const i = pair.indexOf('=');
      if (i > 0) cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
    this.jar.set(host, cookies);
  }

  header(url: string): Record<string, string> {
    const cookies = this.jar.get(new URL(url).host);
    if (!cookies || cookies.size === 0) return {};
    return { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }
}

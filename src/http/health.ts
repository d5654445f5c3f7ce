import type { Store } from '../store/store.js';

export interface ReadyReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface ReadinessDeps {
  /** The DocSpace portal every tool call goes to; without one the server is not ready. */
  docspaceUrl?: string;
  store?: Store;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** How long a result is reused, so a probe flood does not become DocSpace traffic. */
  cacheMs?: number;
}

/**
 * `/readyz`: the configuration loaded (or the process would not serve), DocSpace answers
 * within a short timeout (any HTTP status counts: it is reachability, not credentials), and
 * the store answers.
 */
export function createReadiness(deps: ReadinessDeps): () => Promise<ReadyReport> {
  const fetchFn = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? 2000;
  const cacheMs = deps.cacheMs ?? 5000;
  let cached: { at: number; report: Promise<ReadyReport> } | undefined;

  async function docspace(): Promise<{ ok: boolean; detail?: string }> {
    // Configuration refuses HTTP without a portal; should one slip through, it is not ready.
    if (!deps.docspaceUrl) return { ok: false, detail: 'no portal configured' };
    try {
      const res = await fetchFn(new URL('api/2.0/settings/version/build', deps.docspaceUrl), {
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      await res.body?.cancel();
      return res.status < 500 ? { ok: true } : { ok: false, detail: `DocSpace answered ${res.status}` };
    } catch (err) {
      const name = (err as Error).name;
      return {
        ok: false,
        detail: name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'unreachable',
      };
    }
  }

  async function store(): Promise<{ ok: boolean; detail?: string }> {
    if (!deps.store) return { ok: true, detail: 'none' };
    try {
      const ok = await Promise.race([
        deps.store.ping(),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
      ]);
      return ok ? { ok: true } : { ok: false, detail: 'store does not answer' };
    } catch {
      return { ok: false, detail: 'store does not answer' };
    }
  }

  async function run(): Promise<ReadyReport> {
    const [d, s] = await Promise.all([docspace(), store()]);
    const checks = { config: { ok: true }, docspace: d, store: s };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }

  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > cacheMs) cached = { at: now, report: run() };
    return cached.report;
  };
}

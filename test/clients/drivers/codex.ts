/**
 * Codex CLI. Configuration and sign-in with `codex mcp add` (it signs in by itself for a URL
 * with OAuth; `--oauth-client-registration dcr|auto`), the browser opened through `$BROWSER`
 * (Rust's webbrowser crate). tools/list and a tool call without a model through
 * `codex app-server` (JSON-RPC over stdio): `mcpServerStatus/list`, `thread/start` (ephemeral,
 * no model turn), `mcpServer/tool/call`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Context, driveProblem, WRONG_KEY } from '../context.js';
import { cannot, combine, fail, type Outcome, pass, type Step } from '../model.js';
import { lastLine, run } from '../proc.js';

interface AppServerResult {
  tools: Outcome;
  call: Outcome;
}

/** One app-server session: list the server's tools and call `get_current_user`. */
function appServer(
  bin: string,
  env: Record<string, string>,
  cwd: string,
  server: string,
  email: string,
): Promise<AppServerResult> {
  return new Promise((resolve) => {
    const child = spawn(bin, ['app-server'], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const pending = new Map<number, (m: Record<string, unknown>) => void>();
    let id = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const m = JSON.parse(line) as Record<string, unknown>;
        if (typeof m.id === 'number' && pending.has(m.id)) {
          pending.get(m.id)?.(m);
          pending.delete(m.id);
        }
      } catch {
        // not a JSON-RPC line
      }
    });
    child.stdin.on('error', () => undefined);
    const call = (method: string, params: unknown) =>
      new Promise<Record<string, unknown>>((r) => {
        const n = ++id;
        pending.set(n, r);
        child.stdin.write(`${JSON.stringify({ id: n, method, params })}\n`);
      });
    let done = false;
    const finish = (result: AppServerResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
      resolve(result);
    };
    const timer = setTimeout(() => {
      const why = `app-server timed out after 45 s${stderr ? `: ${lastLine(stderr)}` : ''}`;
      finish({ tools: fail(why), call: fail(why) });
    }, 45_000);
    child.on('exit', () => {
      const why = `app-server exited: ${lastLine(stderr)}`;
      finish({ tools: fail(why), call: fail(why) });
    });
    void (async () => {
      await call('initialize', { clientInfo: { name: 'docspace-mcp-client-suite', version: '1' } });
      child.stdin.write(`${JSON.stringify({ method: 'initialized' })}\n`);
      const status = await call('mcpServerStatus/list', {});
      const entries = ((status.result as { data?: unknown[] } | undefined)?.data ?? []) as {
        name: string;
        tools?: Record<string, unknown>;
      }[];
      const entry = entries.find((e) => e.name === server);
      const count = entry?.tools ? Object.keys(entry.tools).length : 0;
      const tools =
        count > 0
          ? pass(`${count} tools (\`codex app-server\`)`)
          : fail(`no tools: ${JSON.stringify(status.error ?? entry ?? 'server not listed').slice(0, 160)}`);
      const thread = await call('thread/start', { ephemeral: true, cwd });
      const threadId = (thread.result as { thread?: { id?: string } } | undefined)?.thread?.id;
      if (!threadId) {
        finish({ tools, call: fail(`thread/start: ${JSON.stringify(thread.error).slice(0, 160)}`) });
        return;
      }
      const r = await call('mcpServer/tool/call', {
        server,
        threadId,
        tool: 'get_current_user',
        arguments: {},
      });
      const content = (r.result as { content?: { text?: string }[] } | undefined)?.content ?? [];
      const text = content.map((c) => c.text ?? '').join('\n');
      finish({
        tools,
        call: text.includes(email)
          ? pass('`get_current_user` (app-server `mcpServer/tool/call`)')
          : fail(lastLine(text || JSON.stringify(r.error ?? r.result))),
      });
    })();
  });
}

export async function codex(ctx: Context): Promise<Record<Step, Outcome>> {
  const bin = ctx.bin('codex');
  const email = ctx.person.email;
  const setup = (name: string, extra: Record<string, string> = {}) => {
    const home = ctx.home(name);
    mkdirSync(join(home, '.codex'), { recursive: true });
    return { home, env: ctx.env(home, { CODEX_HOME: join(home, '.codex'), ...extra }) };
  };

  // API key: the token comes from an environment variable named in the configuration.
  const key = setup('codex-key', { DOCSPACE_MCP_KEY: ctx.person.apiKey });
  const added = await run(
    bin,
    ['mcp', 'add', 'docspace', '--url', ctx.main.mcpUrl, '--bearer-token-env-var', 'DOCSPACE_MCP_KEY'],
    { env: key.env, cwd: key.home, timeoutMs: 30_000 },
  );
  const keyRun =
    added.code === 0
      ? await appServer(bin, key.env, key.home, 'docspace', email)
      : { tools: fail(lastLine(added.stderr)), call: cannot('not configured') };
  const apiKey = keyRun.tools.status === 'pass' ? pass('`--bearer-token-env-var`') : keyRun.tools;
  const wrong = setup('codex-wrong-key', { DOCSPACE_MCP_KEY: WRONG_KEY });
  await run(
    bin,
    ['mcp', 'add', 'docspace', '--url', ctx.main.mcpUrl, '--bearer-token-env-var', 'DOCSPACE_MCP_KEY'],
    { env: wrong.env, cwd: wrong.home, timeoutMs: 30_000 },
  );
  const wrongRun = await appServer(bin, wrong.env, wrong.home, 'docspace', email);
  const badKey =
    wrongRun.tools.status === 'pass'
      ? fail(`lists ${wrongRun.tools.note.replace(/ \(.*$/, '')}`)
      : pass('no tools listed: the server was not connected');

  // OAuth: `codex mcp add --url` signs in by itself; `mode` is its registration strategy.
  const signIn = async (name: string, mode: 'dcr' | 'auto') => {
    const browser = ctx.browser(`codex-${name}`, ctx.main);
    const s = setup(`codex-${name}`, browser.env);
    const r = await run(
      bin,
      ['mcp', 'add', 'docspace', '--url', ctx.main.mcpUrl, '--oauth-client-registration', mode],
      { env: s.env, cwd: s.home, timeoutMs: 90_000, until: () => browser.failed() },
    );
    const drive = await browser.result();
    const problem = driveProblem(drive);
    const out = `${r.stdout}\n${r.stderr}`;
    if (!/Successfully logged in/.test(out) || problem) {
      const why = problem ?? (r.timedOut ? 'no sign-in within 90 s' : lastLine(out));
      return { outcome: fail(why), run: undefined };
    }
    return { outcome: pass(), run: await appServer(bin, s.env, s.home, 'docspace', email), out };
  };

  const dcr = await signIn('dcr', 'dcr');
  const before = ctx.cimd.requests.length;
  const cimd = await signIn('cimd', 'auto');
  const fetched = ctx.cimd.requests.slice(before).filter((r) => r.url.startsWith('https://chatgpt.com/'));
  let oauthCimd = cimd.outcome;
  if (oauthCimd.status === 'pass') {
    oauthCimd =
      fetched.length > 0 && fetched.every((r) => r.status === 200)
        ? pass(`by default: \`${new URL(fetched[0].url).pathname}\` on chatgpt.com`)
        : fail(`signed in without the metadata document (fetched: ${JSON.stringify(fetched)})`);
  }
  return {
    apiKey,
    badKey,
    oauthDcr: dcr.outcome.status === 'pass' ? pass('`--oauth-client-registration dcr`') : dcr.outcome,
    oauthCimd,
    toolsList: combine([
      { via: 'API key', outcome: keyRun.tools },
      { via: 'DCR', outcome: dcr.run?.tools ?? cannot('no sign-in') },
      { via: 'CIMD', outcome: cimd.run?.tools ?? cannot('no sign-in') },
    ]),
    toolCall: combine([
      { via: 'API key', outcome: keyRun.call },
      { via: 'DCR', outcome: dcr.run?.call ?? cannot('no sign-in') },
      { via: 'CIMD', outcome: cimd.run?.call ?? cannot('no sign-in') },
    ]),
  };
}

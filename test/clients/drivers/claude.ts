/**
 * Claude Code. `claude mcp add` (user scope) and `claude mcp list` (health check: "Connected");
 * sign-in with `claude mcp login`, which needs a terminal: it runs under `script` (a pty), and
 * opens the browser through `$BROWSER` (run as one program). tools/list and a tool call without
 * a model: a `claude -p` session whose `UserPromptSubmit` hook is an `mcp_tool` hook calling
 * `get_current_user`; the stream's init event lists the MCP tools, the hook's response carries
 * the tool's result, and the session is ended before the (unreachable) model is asked.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Demo } from '../../../src/demo.js';
import { type Context, driveProblem, WRONG_KEY } from '../context.js';
import { cannot, combine, fail, type Outcome, pass, type Step } from '../model.js';
import { lastLine, plain, run } from '../proc.js';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function claude(ctx: Context): Promise<Record<Step, Outcome>> {
  const bin = ctx.bin('claude');
  const email = ctx.person.email;
  const setup = (name: string, extra: Record<string, string> = {}) => {
    const home = ctx.home(name);
    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(
      join(home, '.claude', 'settings.json'),
      JSON.stringify({
        hooks: {
          UserPromptSubmit: [
            { hooks: [{ type: 'mcp_tool', server: 'docspace', tool: 'get_current_user', input: {} }] },
          ],
        },
      }),
    );
    const env = ctx.env(home, {
      // No model is reachable: a key of the right shape and a closed port.
      ANTHROPIC_API_KEY: 'sk-ant-offline-client-suite',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      ...extra,
    });
    return { home, env, opts: { env, cwd: home, timeoutMs: 30_000 } };
  };

  const session = async (s: ReturnType<typeof setup>): Promise<{ tools: Outcome; call: Outcome }> => {
    const r = await run(
      bin,
      ['-p', 'hello', '--output-format', 'stream-json', '--verbose', '--include-hook-events'],
      {
        ...s.opts,
        timeoutMs: 60_000,
        until: (out) => /"subtype":"hook_response"/.test(out) && /"subtype":"init"/.test(out),
      },
    );
    const events = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return {};
        }
      });
    const init = events.find((e) => e.subtype === 'init');
    const tools = ((init?.tools as string[] | undefined) ?? []).filter((t) =>
      t.startsWith('mcp__docspace__'),
    );
    const hook = events.find((e) => e.subtype === 'hook_response');
    const output = String(hook?.output ?? '');
    return {
      tools:
        tools.length > 0
          ? pass(`${tools.length} tools`)
          : fail(init ? 'no docspace tools in the session' : lastLine(r.stderr || r.stdout)),
      call: output.includes(email)
        ? pass('`get_current_user` (`mcp_tool` hook)')
        : fail(hook ? lastLine(output) : r.timedOut ? 'timed out' : lastLine(r.stderr || r.stdout)),
    };
  };

  const connected = async (s: ReturnType<typeof setup>): Promise<Outcome> => {
    const r = await run(bin, ['mcp', 'list'], s.opts);
    const line =
      plain(r.stdout)
        .split('\n')
        .find((l) => l.startsWith('docspace:')) ?? lastLine(r.stdout + r.stderr);
    return /Connected/.test(line) ? pass() : fail(line);
  };

  // API key in a header.
  const key = setup('claude-key');
  const added = await run(
    bin,
    [
      'mcp',
      'add',
      '--transport',
      'http',
      '-s',
      'user',
      'docspace',
      ctx.main.mcpUrl,
      '--header',
      `Authorization: Bearer ${ctx.person.apiKey}`,
    ],
    key.opts,
  );
  let apiKey = added.code === 0 ? await connected(key) : fail(lastLine(added.stderr || added.stdout));
  const keyRun = apiKey.status === 'pass' ? await session(key) : undefined;
  if (apiKey.status === 'pass') apiKey = pass('`--header "Authorization: Bearer sk-…"`');
  const wrong = setup('claude-wrong-key');
  await run(
    bin,
    [
      'mcp',
      'add',
      '--transport',
      'http',
      '-s',
      'user',
      'docspace',
      ctx.main.mcpUrl,
      '--header',
      `Authorization: Bearer ${WRONG_KEY}`,
    ],
    wrong.opts,
  );
  const wrongStatus = await connected(wrong);
  const badKey =
    wrongStatus.status === 'pass'
      ? fail('`claude mcp list`: Connected')
      : pass(`\`claude mcp list\`: ${wrongStatus.note.replace(/^.*?\(HTTP\) - /, '')}`);

  // OAuth: `claude mcp login` in a pty.
  const signIn = async (name: string, demo: Demo) => {
    const browser = ctx.browser(`claude-${name}`, demo);
    const s = setup(`claude-${name}`, browser.env);
    const a = await run(
      bin,
      ['mcp', 'add', '--transport', 'http', '-s', 'user', 'docspace', demo.mcpUrl],
      s.opts,
    );
    if (a.code !== 0) return { outcome: fail(lastLine(a.stderr || a.stdout)), run: undefined };
    const r = await run('script', ['-q', '-e', '-c', `${quote(bin)} mcp login docspace`, '/dev/null'], {
      ...s.opts,
      timeoutMs: 90_000,
      until: () => browser.failed(),
    });
    const drive = await browser.result();
    const problem = driveProblem(drive);
    if (r.code !== 0 || problem) {
      return {
        outcome: fail(problem ?? (r.timedOut ? 'no sign-in within 90 s' : lastLine(r.stdout + r.stderr))),
        run: undefined,
      };
    }
    const up = await connected(s);
    if (up.status !== 'pass') return { outcome: fail(`signed in, then: ${up.note}`), run: undefined };
    return { outcome: pass('`claude mcp login`'), run: await session(s) };
  };

  const before = ctx.cimd.requests.length;
  const cimd = await signIn('cimd', ctx.main);
  const fetched = ctx.cimd.requests.slice(before).filter((r) => r.url.startsWith('https://claude.ai/'));
  let oauthCimd = cimd.outcome;
  if (oauthCimd.status === 'pass') {
    oauthCimd =
      fetched.length > 0 && fetched.every((r) => r.status === 200)
        ? pass(`by default, \`claude mcp login\`: \`${new URL(fetched[0].url).pathname}\` on claude.ai`)
        : fail(`signed in without the metadata document (fetched: ${JSON.stringify(fetched)})`);
  }
  const dcr = await signIn('dcr', ctx.noCimd);
  return {
    apiKey,
    badKey,
    oauthDcr:
      dcr.outcome.status === 'pass'
        ? pass('`claude mcp login`, when the server offers no metadata documents (`--oauth-cimd false`)')
        : dcr.outcome,
    oauthCimd,
    toolsList: combine([
      { via: 'API key', outcome: keyRun?.tools ?? cannot('not connected') },
      { via: 'CIMD', outcome: cimd.run?.tools ?? cannot('no sign-in') },
      { via: 'DCR', outcome: dcr.run?.tools ?? cannot('no sign-in') },
    ]),
    toolCall: combine([
      { via: 'API key', outcome: keyRun?.call ?? cannot('not connected') },
      { via: 'CIMD', outcome: cimd.run?.call ?? cannot('no sign-in') },
      { via: 'DCR', outcome: dcr.run?.call ?? cannot('no sign-in') },
    ]),
  };
}

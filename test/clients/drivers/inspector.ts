/**
 * MCP Inspector CLI (`mcp-inspector --cli`): every step without a model. OAuth opens the browser
 * itself when `MCP_AUTO_OPEN_ENABLED=true` (it refuses without a terminal otherwise); tokens are
 * kept in a file store (`MCP_INSPECTOR_SECRET_STORE=file`: no keyring here) and reused by
 * `--stored-auth-only`. It has no metadata document of its own (`--client-metadata-url` takes one).
 */
import { type Context, driveProblem, freePort, WRONG_KEY } from '../context.js';
import { cannot, combine, fail, notApplicable, type Outcome, pass, type Step } from '../model.js';
import { lastLine, type RunResult, run } from '../proc.js';

function parse(result: RunResult): Record<string, unknown> | undefined {
  try {
    const o = JSON.parse(result.stdout.trim()) as Record<string, unknown>;
    return (o.result as Record<string, unknown> | undefined) ?? o;
  } catch {
    return undefined;
  }
}

function toolsOf(result: RunResult): Outcome {
  const tools = parse(result)?.tools;
  if (Array.isArray(tools) && tools.length > 0) return pass(`${tools.length} tools`);
  return fail(result.timedOut ? 'timed out' : lastLine(result.stderr || result.stdout));
}

function callOf(result: RunResult, email: string): Outcome {
  const content = parse(result)?.content;
  const text = Array.isArray(content) ? content.map((c: { text?: string }) => c.text ?? '').join('\n') : '';
  if (text.includes(email)) return pass('`get_current_user` as the person');
  return fail(result.timedOut ? 'timed out' : lastLine(text || result.stderr || result.stdout));
}

export async function inspector(ctx: Context): Promise<Record<Step, Outcome>> {
  const bin = ctx.bin('mcp-inspector');
  const url = ctx.main.mcpUrl;
  const base = ['--cli', url, '--transport', 'http', '--format', 'json'];
  const email = ctx.person.email;

  const keyHome = ctx.home('inspector-key');
  const keyOpts = {
    env: ctx.env(keyHome, { MCP_INSPECTOR_SECRET_STORE: 'file' }),
    cwd: keyHome,
    timeoutMs: 60_000,
  };
  const header = ['--header', `Authorization: Bearer ${ctx.person.apiKey}`];
  const keyList = toolsOf(await run(bin, [...base, '--method', 'tools/list', ...header], keyOpts));
  const keyCall = callOf(
    await run(
      bin,
      [...base, '--method', 'tools/call', '--tool-name', 'get_current_user', ...header],
      keyOpts,
    ),
    email,
  );
  const apiKey = keyList.status === 'pass' ? pass('`--header "Authorization: Bearer sk-…"`') : keyList;
  const wrong = await run(
    bin,
    [...base, '--method', 'tools/list', '--header', `Authorization: Bearer ${WRONG_KEY}`],
    keyOpts,
  );
  const wrongTools = parse(wrong)?.tools;
  const badKey =
    Array.isArray(wrongTools) && wrongTools.length > 0
      ? fail(`lists ${wrongTools.length} tools`)
      : wrong.timedOut
        ? fail('timed out')
        : pass(lastLine(wrong.stderr || wrong.stdout));

  const home = ctx.home('inspector-oauth');
  const browser = ctx.browser('inspector-dcr', ctx.main);
  const opts = {
    env: ctx.env(home, { MCP_INSPECTOR_SECRET_STORE: 'file', MCP_AUTO_OPEN_ENABLED: 'true', ...browser.env }),
    cwd: home,
    timeoutMs: 90_000,
    until: () => browser.failed(),
  };
  const callback = `http://127.0.0.1:${await freePort()}/oauth/callback`;
  const signIn = await run(bin, [...base, '--method', 'tools/list', '--callback-url', callback], opts);
  const drive = await browser.result();
  const oauthList = toolsOf(signIn);
  let oauthDcr: Outcome;
  const problem = driveProblem(drive);
  if (oauthList.status === 'pass' && !problem) oauthDcr = pass('registers, browser opened by the CLI');
  else oauthDcr = fail(problem ?? oauthList.note);
  const oauthCall =
    oauthDcr.status === 'pass'
      ? callOf(
          await run(
            bin,
            [...base, '--method', 'tools/call', '--tool-name', 'get_current_user', '--stored-auth-only'],
            { ...opts, timeoutMs: 60_000 },
          ),
          email,
        )
      : cannot('no sign-in');

  return {
    apiKey,
    badKey,
    oauthDcr,
    oauthCimd: notApplicable('has no document of its own (`--client-metadata-url` takes one)'),
    toolsList: combine([
      { via: 'API key', outcome: keyList },
      { via: 'OAuth', outcome: oauthList },
    ]),
    toolCall: combine([
      { via: 'API key', outcome: keyCall },
      { via: 'OAuth', outcome: oauthCall },
    ]),
  };
}

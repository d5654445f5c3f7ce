/**
 * opencode. Servers in `$XDG_CONFIG_HOME/opencode/opencode.json` (`type: remote`, `headers`, or
 * none for OAuth); `opencode mcp list` connects and says "connected" or "needs authentication";
 * `opencode mcp auth <name>` registers, opens the browser (xdg-open → `$BROWSER`) and waits on
 * its fixed callback port 19876.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Context, driveProblem, WRONG_KEY } from '../context.js';
import { cannot, fail, notApplicable, type Outcome, pass, type Step } from '../model.js';
import { lastLine, plain, run } from '../proc.js';

export async function opencode(ctx: Context): Promise<Record<Step, Outcome>> {
  const bin = ctx.bin('opencode');
  const status = async (env: Record<string, string>, home: string, name: string) => {
    const r = await run(bin, ['mcp', 'list'], { env, cwd: home, timeoutMs: 45_000 });
    const lines = plain(r.stdout).split('\n');
    const line = lines.find((l) => new RegExp(`\\b${name}\\b`).test(l)) ?? lastLine(r.stdout + r.stderr);
    return line.replace(/^[●│\s]+/, '').trim();
  };
  const configure = (home: string, server: Record<string, unknown>) => {
    const dir = join(home, '.config', 'opencode');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'opencode.json'),
      JSON.stringify({
        $schema: 'https://opencode.ai/config.json',
        mcp: { docspace: { type: 'remote', ...server } },
      }),
    );
  };

  const keyHome = ctx.home('opencode-key');
  const keyEnv = ctx.env(keyHome);
  configure(keyHome, {
    url: ctx.main.mcpUrl,
    headers: { Authorization: `Bearer ${ctx.person.apiKey}` },
    oauth: false,
  });
  const keyLine = await status(keyEnv, keyHome, 'docspace');
  const apiKey = /✓ docspace .*connected/.test(keyLine)
    ? pass('`headers`; `opencode mcp list`: connected')
    : fail(keyLine);

  const wrongHome = ctx.home('opencode-wrong-key');
  configure(wrongHome, {
    url: ctx.main.mcpUrl,
    headers: { Authorization: `Bearer ${WRONG_KEY}` },
    oauth: false,
  });
  const wrongLine = await status(ctx.env(wrongHome), wrongHome, 'docspace');
  const badKey = /✓ docspace .*connected/.test(wrongLine)
    ? fail('`opencode mcp list`: connected')
    : pass(`\`opencode mcp list\`: ${wrongLine}`);

  const home = ctx.home('opencode-oauth');
  const browser = ctx.browser('opencode-dcr', ctx.main);
  const env = ctx.env(home, browser.env);
  configure(home, { url: ctx.main.mcpUrl });
  const r = await run(bin, ['mcp', 'auth', 'docspace'], {
    env,
    cwd: home,
    timeoutMs: 90_000,
    until: () => browser.failed(),
  });
  const problem = driveProblem(await browser.result());
  let oauthDcr: Outcome;
  if (!/Authentication successful/.test(plain(r.stdout)) || problem) {
    oauthDcr = fail(problem ?? (r.timedOut ? 'no sign-in within 90 s' : lastLine(r.stdout + r.stderr)));
  } else {
    const line = await status(env, home, 'docspace');
    oauthDcr = /✓ docspace .*connected/.test(line)
      ? pass('`opencode mcp auth`; then `mcp list`: connected')
      : fail(`signed in, then: ${line}`);
  }
  return {
    apiKey,
    badKey,
    oauthDcr,
    oauthCimd: notApplicable('registers (DCR)'),
    toolsList: cannot(
      'lists tools only inside a model session (`opencode mcp list` checks the connection only)',
    ),
    toolCall: cannot('calls tools only for a model'),
  };
}

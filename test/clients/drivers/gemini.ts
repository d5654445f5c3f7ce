/**
 * Gemini CLI. `gemini mcp add -s user --transport http [--header …]` writes `url` +
 * `type: http`; `gemini mcp list` connects and says "Connected". tools/list and sign-in happen
 * in its full-screen terminal UI (under a pty): `/mcp list` prints the server's tools and
 * `/mcp auth docspace` registers and opens the browser (xdg-open → `$BROWSER`); `gemini -p`
 * only says the server "requires authentication". The home directory is a trusted folder
 * (`trustedFolders.json`), or Gemini CLI silently disables the server; a made-up Gemini API key
 * gets it past its own sign-in (no model is ever asked).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS } from '../../helpers/browser.js';
import { type Context, driveProblem, WRONG_KEY } from '../context.js';
import { cannot, combine, fail, notApplicable, type Outcome, pass, type Step } from '../model.js';
import { lastLine, plain, run, terminal } from '../proc.js';

/** The start screen's last tip: the UI is up (and takes input a moment later). */
const READY = /Type your message|Be specific for the best results/;

export async function gemini(ctx: Context): Promise<Record<Step, Outcome>> {
  const bin = ctx.bin('gemini');
  const setup = (name: string, extra: Record<string, string> = {}) => {
    const home = ctx.home(name);
    mkdirSync(join(home, '.gemini'), { recursive: true });
    writeFileSync(join(home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [home]: 'TRUST_FOLDER' }));
    writeFileSync(
      join(home, '.gemini', 'settings.json'),
      JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } } }),
    );
    const env = ctx.env(home, {
      GEMINI_API_KEY: 'offline-client-suite',
      GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:9',
      // With xterm-256color its UI repaints in ways the plain-text reading below does not follow.
      TERM: 'xterm',
      ...extra,
    });
    return { home, env, opts: { env, cwd: home, timeoutMs: 45_000 } };
  };
  const connected = async (s: ReturnType<typeof setup>): Promise<Outcome> => {
    const list = await run(bin, ['mcp', 'list'], s.opts);
    const line =
      plain(list.stdout)
        .split('\n')
        .find((l) => l.includes('docspace:')) ?? lastLine(list.stdout + list.stderr);
    return /- Connected/.test(line) ? pass() : fail(line.trim());
  };
  /**
   * Types a command until the UI shows it took it (a command typed while it is still starting
   * can be dropped); returns the output mark from before the last try.
   */
  const command = async (t: ReturnType<typeof terminal>, text: string, took: RegExp): Promise<number> => {
    let from = t.mark();
    for (let attempt = 0; attempt < 3; attempt++) {
      from = t.mark();
      await t.line(text);
      if (await t.waitFor(took, 8_000, from)) break;
    }
    return from;
  };
  /** `/mcp list` in the terminal UI: the tools it shows for the server. */
  const listTools = async (t: ReturnType<typeof terminal>): Promise<Outcome> => {
    await new Promise((r) => setTimeout(r, 1500));
    const from = await command(t, '/mcp list', /mcp_docspace_/);
    await new Promise((r) => setTimeout(r, 1500));
    const names = new Set(t.text(from).match(/mcp_docspace_[a-z_]+/g) ?? []);
    return names.size > 0 ? pass(`${names.size} tools (\`/mcp list\`)`) : fail(lastLine(t.text(from)));
  };

  // API key in a header.
  const key = setup('gemini-key');
  const added = await run(
    bin,
    [
      'mcp',
      'add',
      '-s',
      'user',
      '--transport',
      'http',
      '--header',
      `Authorization: Bearer ${ctx.person.apiKey}`,
      'docspace',
      ctx.main.mcpUrl,
    ],
    key.opts,
  );
  let apiKey = added.code === 0 ? await connected(key) : fail(lastLine(added.stderr || added.stdout));
  let keyTools: Outcome = cannot('not connected');
  if (apiKey.status === 'pass') {
    apiKey = pass('`--header`; `gemini mcp list`: Connected');
    const t = terminal(bin, key.env, key.home);
    try {
      keyTools = (await t.waitFor(READY, 30_000))
        ? await listTools(t)
        : fail(`UI not ready: ${lastLine(t.text())}`);
    } finally {
      t.close();
    }
  }

  const wrong = setup('gemini-wrong-key');
  await run(
    bin,
    [
      'mcp',
      'add',
      '-s',
      'user',
      '--transport',
      'http',
      '--header',
      `Authorization: Bearer ${WRONG_KEY}`,
      'docspace',
      ctx.main.mcpUrl,
    ],
    wrong.opts,
  );
  const wrongStatus = await connected(wrong);
  const badKey =
    wrongStatus.status === 'pass'
      ? fail('`gemini mcp list`: Connected')
      : pass(`\`gemini mcp list\`: ${wrongStatus.note.replace(/^.*docspace: \S+ /, '')}`);

  // OAuth: `/mcp auth docspace` in the terminal UI.
  const browser = ctx.browser('gemini-dcr', ctx.main);
  const s = setup('gemini-oauth', browser.env);
  let oauthDcr: Outcome;
  let oauthTools: Outcome = cannot('no sign-in');
  const a = await run(
    bin,
    ['mcp', 'add', '-s', 'user', '--transport', 'http', 'docspace', ctx.main.mcpUrl],
    s.opts,
  );
  if (a.code !== 0) oauthDcr = fail(lastLine(a.stderr || a.stdout));
  else {
    const t = terminal(bin, s.env, s.home);
    try {
      if (!(await t.waitFor(READY, 30_000))) oauthDcr = fail(`UI not ready: ${lastLine(t.text())}`);
      else {
        await new Promise((r) => setTimeout(r, 2000));
        const from = await command(
          t,
          '/mcp auth docspace',
          /Starting OAuth authentication|Authentication required|Opening authentication page/,
        );
        const done = /Successfully authenticated and reloaded tools|Failed to authenticate|[Ee]rror/;
        // It asks before opening the browser (a dialog; Enter is "yes"); an extra Enter is harmless.
        await new Promise((r) => setTimeout(r, 2500));
        await t.line('');
        await t.waitFor(done, 60_000, from);
        const text = t.text(from);
        const problem = driveProblem(await browser.result());
        if (/Successfully authenticated/.test(text) && !problem) {
          oauthTools = await listTools(t);
          oauthDcr = pass('`/mcp auth docspace`');
        } else {
          writeFileSync(join(ARTIFACTS, 'clients-gemini-oauth.txt'), t.text());
          const why = text.split('\n').find((l) => /Failed|[Ee]rror/.test(l));
          oauthDcr = fail(problem ?? lastLine(why ?? text));
        }
      }
    } finally {
      t.close();
    }
    if (oauthDcr.status === 'pass') {
      const up = await connected(s);
      if (up.status !== 'pass') oauthDcr = fail(`signed in, then \`gemini mcp list\`: ${up.note}`);
      else oauthDcr = pass('`/mcp auth docspace`; then `gemini mcp list`: Connected');
    }
  }
  return {
    apiKey,
    badKey,
    oauthDcr,
    oauthCimd: notApplicable('registers (DCR)'),
    toolsList: combine([
      { via: 'API key', outcome: keyTools },
      { via: 'OAuth', outcome: oauthTools },
    ]),
    toolCall: cannot('calls tools only for a model'),
  };
}

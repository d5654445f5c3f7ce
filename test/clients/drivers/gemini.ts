/**
 * Gemini CLI. `gemini mcp add -s user --transport http --header …` writes `url` + `type: http`;
 * `gemini mcp list` connects (initialize) and says "Connected". The home directory is a trusted
 * folder (`trustedFolders.json`), or Gemini CLI silently disables the server.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from '../context.js';
import { cannot, fail, notApplicable, type Outcome, pass, type Step } from '../model.js';
import { lastLine, plain, run } from '../proc.js';

export async function gemini(ctx: Context): Promise<Record<Step, Outcome>> {
  const bin = ctx.bin('gemini');
  const home = ctx.home('gemini-key');
  mkdirSync(join(home, '.gemini'), { recursive: true });
  writeFileSync(join(home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [home]: 'TRUST_FOLDER' }));
  const opts = { env: ctx.env(home), cwd: home, timeoutMs: 45_000 };
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
    opts,
  );
  let apiKey: Outcome;
  if (added.code !== 0) apiKey = fail(lastLine(added.stderr || added.stdout));
  else {
    const list = await run(bin, ['mcp', 'list'], opts);
    const line =
      plain(list.stdout)
        .split('\n')
        .find((l) => l.includes('docspace:')) ?? lastLine(list.stdout + list.stderr);
    apiKey = /- Connected/.test(line) ? pass('`--header`; `gemini mcp list`: Connected') : fail(line.trim());
  }
  return {
    apiKey,
    oauthDcr: cannot(
      'not driven: `gemini mcp list` does not sign in and `gemini -p` did not start one here; the interactive `/mcp auth` is a full-screen terminal UI',
    ),
    oauthCimd: notApplicable('registers (DCR)'),
    toolsList: cannot(
      'lists tools only inside a model session (`gemini mcp list` checks the connection only)',
    ),
    toolCall: cannot('calls tools only for a model'),
  };
}

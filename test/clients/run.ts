/**
 * `npm run test:clients`: the client compatibility suite. Installs the pinned clients into a
 * cache outside the project, starts the demo (twice: with metadata documents on and routed to a
 * local HTTPS host, and with `--oauth-cimd false`), drives each client through API-key connect,
 * OAuth sign-in in Chromium, tools/list and a tool call where it can make one without a model,
 * then writes the table into docs/clients.md and test-artifacts/clients.json. Exits non-zero
 * only when a step that passed in the committed table does not pass now.
 *
 * Flags: `--only codex,claude` runs some clients (no document written); `--no-write` leaves
 * docs/clients.md alone.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Demo } from '../../src/demo.js';
import { startDemoServer } from '../helpers/assembled.js';
import { ARTIFACTS, CHROMIUM } from '../helpers/browser.js';
import { type CimdHost, startCimdHost } from './cimd-host.js';
import { Context } from './context.js';
import { claude } from './drivers/claude.js';
import { codex } from './drivers/codex.js';
import { gemini } from './drivers/gemini.js';
import { inspector } from './drivers/inspector.js';
import { opencode } from './drivers/opencode.js';
import { type Installed, installClients } from './install.js';
import { cannot, type ClientResult, fail, type Outcome, STEPS, type Step } from './model.js';
import { compare, recorded, renderRegion, withRegion } from './report.js';
import { CLIENTS, type ClientPackage } from './versions.js';

type Driver = (ctx: Context) => Promise<Record<Step, Outcome>>;

const SUITE: { id: string; name: string; package: ClientPackage; driver: Driver; oauth: Step[] }[] = [
  {
    id: 'codex',
    name: 'Codex CLI',
    package: '@openai/codex',
    driver: codex,
    oauth: ['oauthDcr', 'oauthCimd'],
  },
  {
    id: 'claude',
    name: 'Claude Code',
    package: '@anthropic-ai/claude-code',
    driver: claude,
    oauth: ['oauthDcr', 'oauthCimd'],
  },
  { id: 'gemini', name: 'Gemini CLI', package: '@google/gemini-cli', driver: gemini, oauth: ['oauthDcr'] },
  { id: 'opencode', name: 'opencode', package: 'opencode-ai', driver: opencode, oauth: ['oauthDcr'] },
  {
    id: 'inspector',
    name: 'MCP Inspector CLI',
    package: '@modelcontextprotocol/inspector',
    driver: inspector,
    oauth: ['oauthDcr'],
  },
];
const CLIENT_TIMEOUT_MS = 240_000;
const DOC = join(process.cwd(), 'docs', 'clients.md');

const log = (line: string) => process.stderr.write(`[clients] ${line}\n`);

function allSteps(outcome: Outcome): Record<Step, Outcome> {
  return Object.fromEntries(STEPS.map((s) => [s, outcome])) as Record<Step, Outcome>;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const onlyArg = args.find((a) => a.startsWith('--only'));
  const only = onlyArg
    ? (onlyArg.split('=')[1] ?? args[args.indexOf(onlyArg) + 1] ?? '').split(',')
    : undefined;
  const write = !args.includes('--no-write') && !only;
  const suite = SUITE.filter((c) => !only || only.includes(c.id));
  const started = Date.now();
  const root = mkdtempSync(join(tmpdir(), 'docspace-mcp-clients-'));
  const results: ClientResult[] = [];
  mkdirSync(ARTIFACTS, { recursive: true });

  let installed: Installed | undefined;
  let installError = '';
  try {
    installed = await installClients(log);
  } catch (err) {
    installError = err instanceof Error ? err.message : String(err);
    log(`WARNING: ${installError}`);
  }
  const chromium = existsSync(CHROMIUM);
  if (!chromium) log(`WARNING: ${CHROMIUM} is missing: every OAuth step is reported as not run`);

  let cimd: CimdHost | undefined;
  let main: Demo | undefined;
  let noCimd: Demo | undefined;
  try {
    if (installed) {
      cimd = await startCimdHost();
      main = await startDemoServer({ serverOptions: { cimdTestRoute: cimd.route } });
      noCimd = await startDemoServer({ argv: ['--oauth-cimd', 'false'] });
    }
    const person = main?.emulator.info.users.find((u) => u.email === 'user@example.com');
    for (const c of suite) {
      const clientStarted = Date.now();
      let steps: Record<Step, Outcome>;
      if (!installed || !main || !noCimd || !cimd || !person) {
        steps = allSteps(cannot(`the client could not be installed (${installError})`));
      } else {
        log(`${c.name} ${installed.versions[c.package]} …`);
        const ctx = new Context(root, installed.bin, main, noCimd, cimd, {
          email: person.email,
          password: person.password,
          apiKey: person.apiKey,
        });
        let timer: NodeJS.Timeout | undefined;
        steps = await Promise.race([
          c.driver(ctx),
          new Promise<Record<Step, Outcome>>((resolve) => {
            timer = setTimeout(
              () =>
                resolve(allSteps(fail(`the client's run took longer than ${CLIENT_TIMEOUT_MS / 1000} s`))),
              CLIENT_TIMEOUT_MS,
            );
          }),
        ]).catch((err: unknown) =>
          allSteps(fail(`suite error: ${err instanceof Error ? err.message : String(err)}`)),
        );
        clearTimeout(timer);
        if (!chromium) for (const s of c.oauth) steps[s] = cannot(`Chromium (${CHROMIUM}) is not installed`);
      }
      const result: ClientResult = {
        id: c.id,
        name: c.name,
        package: c.package,
        version: installed?.versions[c.package] ?? CLIENTS[c.package],
        steps,
        seconds: Math.round((Date.now() - clientStarted) / 1000),
      };
      results.push(result);
      log(`${c.name}: ${STEPS.map((s) => `${s} ${steps[s].status}`).join(', ')} (${result.seconds} s)`);
    }
  } finally {
    await main?.stop();
    await noCimd?.stop();
    await cimd?.close();
    rmSync(root, { recursive: true, force: true });
  }

  const seconds = Math.round((Date.now() - started) / 1000);
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(
    join(ARTIFACTS, 'clients.json'),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, seconds, installSeconds: installed?.installSeconds, results }, null, 2)}\n`,
  );
  const doc = readFileSync(DOC, 'utf8');
  const { regressions: lost, unverified } = compare(recorded(doc), results);
  if (write) {
    const region = renderRegion(results, {
      date: new Date().toISOString().slice(0, 10),
      node: process.version,
    });
    writeFileSync(DOC, withRegion(doc, region));
    log('docs/clients.md: table written');
  }
  log(`done in ${seconds} s; results in test-artifacts/clients.json`);
  if (unverified.length > 0) {
    log(`WARNING: ${unverified.length} step(s) that passed in the committed table could not be run here:`);
    for (const l of unverified) log(`  ${l}`);
  }
  if (lost.length > 0) {
    log(`REGRESSION: ${lost.length} step(s) that passed in the committed table do not pass now:`);
    for (const l of lost) log(`  ${l}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`suite failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);

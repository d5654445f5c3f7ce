import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { type ConformanceServer, startConformanceServer } from './server.js';

/**
 * The official MCP conformance suite against the server with auth off and fixtures on.
 * Both suite lines import `fs.globSync`, which Node 20 lacks, so they run under Node 22 fetched
 * with `npx -y node@22` (docs: sdk-and-spec.md §5). Set CONFORMANCE=skip to leave them out.
 */
const ROOT = new URL('../../../', import.meta.url).pathname;
const SRC = `${ROOT}test/conformance/`;
const LOCAL_SUITE = `${ROOT}node_modules/@modelcontextprotocol/conformance/dist/index.js`;
const ALPHA = '@modelcontextprotocol/conformance@0.2.0-alpha.12';

function run(
  command: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function summary(output: string): string {
  const start = output.indexOf('=== SUMMARY ===');
  return start < 0 ? output.slice(-3000) : output.slice(start);
}

describe('MCP conformance suite', { skip: process.env.CONFORMANCE === 'skip' }, () => {
  let server: ConformanceServer;
  let url: string;
  let node22 = false;
  before(async () => {
    server = await startConformanceServer();
    // The suite's DNS-rebinding scenario needs a `localhost` URL.
    url = `${server.server.url.replace('127.0.0.1', 'localhost')}/mcp`;
    const probe = await run('npx', ['-y', 'node@22', '--version'], 120_000);
    node22 = probe.code === 0 && /v22\./.test(probe.output);
  });
  after(() => server.close());

  it(
    'passes 0.1.16 (all scenarios, pending ones included) with nothing expected to fail',
    {
      timeout: 240_000,
    },
    async (t) => {
      if (!node22) return t.skip('Node 22 is not obtainable with npx here');
      const result = await run(
        'npx',
        [
          '-y',
          'node@22',
          LOCAL_SUITE,
          'server',
          '--url',
          url,
          '--suite',
          'all',
          '--expected-failures',
          `${SRC}expected-failures-2025-11-25.yml`,
        ],
        220_000,
      );
      assert.equal(result.code, 0, summary(result.output));
      assert.match(result.output, /Baseline check passed/);
      assert.doesNotMatch(summary(result.output), /[1-9]\d* warnings?/, summary(result.output));
    },
  );

  it(
    'passes 0.2.0-alpha (--requirements 2026-07-28) except the tasks extension',
    {
      timeout: 300_000,
    },
    async (t) => {
      if (!node22) return t.skip('Node 22 is not obtainable with npx here');
      const result = await run(
        'npx',
        [
          '-y',
          '-p',
          'node@22',
          '-p',
          ALPHA,
          '-c',
          `conformance server --url ${url} --requirements 2026-07-28 --timeout 20000 --expected-failures ${SRC}expected-failures-2026-07-28.yml`,
        ],
        280_000,
      );
      if (/E404|ENOTFOUND|EAI_AGAIN/.test(result.output) && result.code !== 0)
        return t.skip(`${ALPHA} is not obtainable here`);
      assert.equal(result.code, 0, summary(result.output));
      assert.match(result.output, /Baseline check passed/);
      assert.doesNotMatch(summary(result.output), /[1-9]\d* warnings?/, summary(result.output));
    },
  );

  it(
    'passes 0.2.0-alpha (--requirements 2025-11-25) with nothing expected to fail',
    {
      timeout: 300_000,
    },
    async (t) => {
      if (!node22) return t.skip('Node 22 is not obtainable with npx here');
      const result = await run(
        'npx',
        [
          '-y',
          '-p',
          'node@22',
          '-p',
          ALPHA,
          '-c',
          `conformance server --url ${url} --requirements 2025-11-25 --timeout 20000 --expected-failures ${SRC}expected-failures-2025-11-25.yml`,
        ],
        280_000,
      );
      if (/E404|ENOTFOUND|EAI_AGAIN/.test(result.output) && result.code !== 0)
        return t.skip(`${ALPHA} is not obtainable here`);
      assert.equal(result.code, 0, summary(result.output));
      assert.match(result.output, /Baseline check passed/);
      assert.doesNotMatch(summary(result.output), /[1-9]\d* warnings?/, summary(result.output));
    },
  );
});

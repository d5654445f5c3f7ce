import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/client';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { type Emulator, startEmulator } from '../../../emulator/index.js';

/**
 * What people install: the npm tarball (into a clean prefix), the container image's runtime
 * stage (scripts/runtime-stage.mjs) and the MCPB desktop bundle (scripts/pack-mcpb.mjs). One
 * tarball, packed once from the build this test runs on, feeds all three.
 */
const ROOT = new URL('../../../../', import.meta.url).pathname;
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type TextResult = { content: { type: string; text?: string }[]; isError?: boolean };

async function listAndCall(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ names: string[]; me: string }> {
  const client = new Client({ name: 'distribution', version: '1' });
  await client.connect(new StdioClientTransport({ command, args, env, stderr: 'pipe' }));
  try {
    const { tools } = await client.listTools();
    const me = (await client.callTool({ name: 'get_current_user', arguments: {} })) as TextResult;
    assert.notEqual(me.isError, true, JSON.stringify(me));
    return { names: tools.map((t) => t.name).sort(), me: me.content.map((c) => c.text ?? '').join('\n') };
  } finally {
    await client.close();
  }
}

describe('distribution: npm package, container runtime stage, MCPB bundle', { concurrency: true }, () => {
  let work: string;
  let tarball: string;
  let emulator: Emulator;
  let apiKey: string;
  let ownerEmail: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'docspace-dist-'));
    // dist/ is fresh (`npm test` builds first), so prepack's build is skipped here.
    const { stdout } = await run(
      'npm',
      ['pack', '--ignore-scripts', '--silent', '--pack-destination', work],
      {
        cwd: ROOT,
      },
    );
    tarball = join(work, stdout.trim().split('\n').at(-1) as string);
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    const owner = emulator.info.users.find((u) => u.role === 'owner');
    apiKey = owner?.apiKey ?? '';
    ownerEmail = owner?.email ?? '';
  });
  after(async () => {
    await emulator?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('the tarball holds the compiled server, emulator, docs and LICENSE, without tests or source maps', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n');
    assert.ok(files.includes('package/dist/src/cli.js'));
    assert.ok(files.includes('package/dist/emulator/index.js'));
    assert.ok(files.includes('package/LICENSE'));
    assert.ok(files.includes('package/docs/deployment.md'));
    assert.deepEqual(
      files.filter((f) => f.endsWith('.map') || f.startsWith('package/dist/test/')),
      [],
    );
  });

  it('installs from the tarball into a clean prefix without a warning; --help and stdio tools/list work from the bin', async () => {
    const prefix = join(work, 'npm-prefix');
    const install = await run(
      'npm',
      ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', tarball],
      { cwd: work },
    );
    assert.doesNotMatch(`${install.stdout}\n${install.stderr}`, /warn|EBADENGINE|prepare|tsc/i);
    const bin = join(prefix, 'bin', 'docspace-mcp');
    const help = await run(bin, ['--help']);
    assert.match(help.stdout, new RegExp(`^docspace-mcp ${pkg.version.replace(/\./g, '\\.')}: `));
    assert.match(help.stdout, /--base-url <value> {2}\[DOCSPACE_BASE_URL\]/);
    const { names, me } = await listAndCall(bin, [], {
      PATH: process.env.PATH ?? '',
      DOCSPACE_BASE_URL: emulator.url,
      DOCSPACE_API_KEY: apiKey,
      DOCSPACE_LOG_LEVEL: 'warn',
    });
    assert.ok(names.includes('get_current_user') && names.length > 20, names.join(', '));
    assert.match(me, new RegExp(ownerEmail));
  });

  it('the container runtime stage: production install, unprivileged user, HEALTHCHECK, /readyz and a tool call', async () => {
    const { stdout } = await run(process.execPath, [
      join(ROOT, 'scripts/runtime-stage.mjs'),
      '--tarball',
      tarball,
    ]);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(report.healthcheck, 'ok');
    assert.equal(report.toolCall, 'get_current_user ok');
    assert.equal(report.sigterm, 'exit 0');
    // Root here means the user switch was exercised; otherwise the report says it was not.
    if (process.getuid?.() === 0) assert.equal(report.uid, 65534);
    else assert.match(String(report.uid), /no user switch/);
  });

  it('npm run pack:mcpb makes a bundle that validates, unpacks, starts over stdio and lists its tools', async () => {
    const mcpb = join(ROOT, 'node_modules/.bin/mcpb');
    await run(mcpb, ['validate', join(ROOT, 'mcpb/manifest.json')]);
    const bundle = join(work, 'docspace-mcp.mcpb');
    const { stdout } = await run(process.execPath, [
      join(ROOT, 'scripts/pack-mcpb.mjs'),
      '--tarball',
      tarball,
      '--out',
      bundle,
    ]);
    assert.equal((JSON.parse(stdout) as { bundle: string }).bundle, bundle);
    const unpacked = join(work, 'unpacked');
    await run(mcpb, ['unpack', bundle, unpacked]);
    await run(mcpb, ['validate', join(unpacked, 'manifest.json')]);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as {
      manifest_version: string;
      version: string;
      tools: { name: string }[];
      user_config: Record<string, { sensitive?: boolean; required?: boolean }>;
      server: { mcp_config: { command: string; args: string[]; env: Record<string, string> } };
    };
    // Spec 0.3, checked against its schema as @anthropic-ai/mcpb ships it (the same file as
    // the project's reference copy of mcpb-manifest-v0.3.schema.json).
    assert.equal(manifest.manifest_version, '0.3');
    const schema = JSON.parse(
      readFileSync(join(ROOT, 'node_modules/@anthropic-ai/mcpb/dist/mcpb-manifest-v0.3.schema.json'), 'utf8'),
    );
    const validate = addFormats(new Ajv({ allErrors: true, strict: false })).compile(schema);
    assert.equal(validate(manifest), true, JSON.stringify(validate.errors));
    assert.equal(manifest.version, pkg.version);
    assert.equal(manifest.user_config.api_key?.sensitive, true);
    assert.equal(manifest.user_config.base_url?.required, true);
    // What an MCPB host does: substitute ${__dirname} and ${user_config.*}, then run the command.
    const values: Record<string, string> = {
      __dirname: unpacked,
      'user_config.base_url': emulator.url,
      'user_config.api_key': apiKey,
      'user_config.read_only': 'false',
    };
    const fill = (s: string) => s.replace(/\$\{([^}]+)\}/g, (all, key: string) => values[key] ?? all);
    const { command, args, env } = manifest.server.mcp_config;
    assert.equal(command, 'node');
    const filledEnv = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, fill(v)]));
    assert.deepEqual(
      Object.values(filledEnv).filter((v) => v.includes('${')),
      [],
    );
    const { names, me } = await listAndCall(process.execPath, args.map(fill), {
      PATH: process.env.PATH ?? '',
      ...filledEnv,
    });
    assert.deepEqual(names, manifest.tools.map((t) => t.name).sort());
    assert.match(me, new RegExp(ownerEmail));
  });
});

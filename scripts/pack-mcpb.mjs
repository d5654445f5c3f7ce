#!/usr/bin/env node
// Builds the MCPB desktop bundle (Claude Desktop and other MCPB hosts) with the official
// @anthropic-ai/mcpb tool:
//
//   npm run pack:mcpb                        # npm pack (builds), then docspace-mcp-<version>.mcpb
//   node scripts/pack-mcpb.mjs --tarball docspace-mcp-0.1.0.tgz --out /tmp/x.mcpb
//
// Layout inside the bundle: manifest.json (mcpb/manifest.json with the version and the tool
// list filled in from the package) and server/ (the npm package with its production
// dependencies). The host runs `node server/dist/src/cli.js` over stdio.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const mcpb = join(root, 'node_modules', '.bin', 'mcpb');

function option(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const work = mkdtempSync(join(tmpdir(), 'docspace-mcpb-'));
try {
  let tarball = option('--tarball');
  if (!tarball) {
    // `npm pack` runs prepack (the TypeScript build) first.
    const name = run('npm', ['pack', '--silent', '--pack-destination', work], root).trim().split('\n').at(-1);
    tarball = join(work, name);
  }
  const out = resolve(option('--out') ?? join(root, `docspace-mcp-${pkg.version}.mcpb`));

  const stage = join(work, 'bundle');
  run('mkdir', ['-p', stage]);
  run('tar', ['-xzf', resolve(tarball), '-C', stage]);
  renameSync(join(stage, 'package'), join(stage, 'server'));
  const server = join(stage, 'server');
  // Production dependencies only; the package has no install scripts of its own.
  run(
    'npm',
    [
      'install',
      '--omit=dev',
      '--ignore-scripts',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
    ],
    server,
  );

  const manifest = JSON.parse(readFileSync(join(root, 'mcpb', 'manifest.json'), 'utf8'));
  const bundled = JSON.parse(readFileSync(join(server, 'package.json'), 'utf8'));
  manifest.version = bundled.version;
  const docs = await import(pathToFileURL(join(server, 'dist', 'src', 'tools', 'docs.js')).href);
  manifest.tools = docs.toolsSnapshot().tools.map((t) => ({ name: t.name, description: t.description }));
  writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  run(mcpb, ['validate', join(stage, 'manifest.json')]);
  rmSync(out, { force: true });
  run(mcpb, ['pack', stage, out]);
  const bytes = readFileSync(out);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const files = readdirSync(stage, { recursive: true }).length;
  process.stdout.write(
    `${JSON.stringify({ bundle: out, bytes: statSync(out).size, sha256, files, tools: manifest.tools.length })}\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

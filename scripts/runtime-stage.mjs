#!/usr/bin/env node
// Performs the Dockerfile's runtime stage without Docker (these machines have no engine and no
// base images), so the steps the image depends on are exercised on every test run:
//
//   1. the npm package (`npm pack`, or --tarball <file>) — what the build stage produces;
//   2. `npm install --global --omit=dev` of that tarball into a clean prefix — the runtime
//      stage's RUN line, production dependencies only;
//   3. the server started from the installed bin with the image's ENV lines (read from the
//      Dockerfile), as an unprivileged user when this runs as root (setpriv, uid/gid 65534),
//      against the emulator started from the same installed package (`docspace-mcp emulator`);
//   4. the image's HEALTHCHECK command (read from the Dockerfile), /readyz, and one tool call
//      over Streamable HTTP with the emulator owner's API key;
//   5. SIGTERM, and a clean exit.
//
// Not exercised: the base image itself, `docker build` layer caching, Docker networking. The
// port is a free one instead of the image's 8080 (the test machine may have 8080 in use).
// Prints one JSON line with what was checked; exits 1 with the reason on the first failure.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const UNPRIVILEGED = 65534; // nobody/nogroup

function option(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function fail(message) {
  throw new Error(message);
}

/** ENV and HEALTHCHECK of the Dockerfile's last stage. */
export function runtimeStage(dockerfile) {
  const stages = dockerfile.split(/^FROM /m);
  const last = stages.at(-1) ?? '';
  const env = {};
  for (const m of last.matchAll(/^ENV (\w+)=(\S*)$/gm)) env[m[1]] = m[2];
  const health = /^HEALTHCHECK .*?CMD (\[.*\])$/m.exec(last);
  if (!health) fail('the runtime stage has no HEALTHCHECK in exec form');
  const user = /^USER (\S+)$/m.exec(last)?.[1];
  const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(last)?.[1] ?? '[]');
  return { env, healthcheck: JSON.parse(health[1]), user, entrypoint };
}

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Resolves with the first stdout line that `match` accepts (or rejects when the child exits). */
function waitFor(child, stream, match, what, timeoutMs = 15_000) {
  let seen = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what}: nothing after ${timeoutMs} ms: ${seen}`)),
      timeoutMs,
    );
    child[stream].on('data', (chunk) => {
      seen += chunk;
      for (const line of seen.split('\n')) {
        const found = match(line);
        if (found) {
          clearTimeout(timer);
          resolvePromise(found);
          return;
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what}: exited with ${code}: ${seen}`));
    });
  });
}

async function main() {
  const stage = runtimeStage(readFileSync(join(root, 'Dockerfile'), 'utf8'));
  if (stage.user !== 'node') fail(`the runtime stage runs as ${stage.user ?? 'root'}, not the node user`);
  if (stage.entrypoint[0] !== 'docspace-mcp') fail('the entry point is not docspace-mcp');

  const work = mkdtempSync(join(tmpdir(), 'docspace-runtime-'));
  const children = [];
  try {
    // The unprivileged user must be able to read the installed package.
    chmodSync(work, 0o755);
    let tarball = option('--tarball');
    if (!tarball) {
      const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
        cwd: root,
        encoding: 'utf8',
      })
        .trim()
        .split('\n')
        .at(-1);
      tarball = join(work, name);
    }
    const prefix = join(work, 'prefix');
    const started = Date.now();
    const install = execFileSync(
      'npm',
      [
        'install',
        '--global',
        '--omit=dev',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--prefix',
        prefix,
        resolve(tarball),
      ],
      {
        cwd: work,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    const installMs = Date.now() - started;
    if (/\bwarn\b/i.test(install)) fail(`npm install warned:\n${install}`);
    const bin = join(prefix, 'bin', 'docspace-mcp');
    if (!existsSync(bin)) fail(`no ${bin} after the install`);
    const packageDir = join(prefix, 'lib', 'node_modules', 'docspace-mcp');
    for (const dev of ['typescript', 'prettier', '@modelcontextprotocol/client']) {
      if (
        existsSync(join(packageDir, 'node_modules', dev)) ||
        existsSync(join(prefix, 'lib', 'node_modules', dev))
      )
        fail(`development dependency ${dev} was installed`);
    }

    const emulator = spawn(bin, ['emulator', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(emulator);
    const info = await waitFor(
      emulator,
      'stdout',
      (l) => (l.startsWith('{') ? JSON.parse(l) : undefined),
      'emulator',
    );
    const apiKey = info.users.find((u) => u.role === 'owner')?.apiKey ?? fail('the emulator has no owner');

    const asRoot = process.getuid?.() === 0;
    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: work,
      NODE_ENV: 'production',
      ...stage.env,
      DOCSPACE_PORT: String(port),
      DOCSPACE_BASE_URL: info.baseUrl,
      DOCSPACE_REQUEST_AUTHORIZATION_HEADER: 'yes',
      DOCSPACE_LOG_LEVEL: 'info',
    };
    // setpriv execs the server in place: the pid below is the server's own.
    const [cmd, args] = asRoot
      ? [
          'setpriv',
          [
            `--reuid=${UNPRIVILEGED}`,
            `--regid=${UNPRIVILEGED}`,
            '--clear-groups',
            '--',
            process.execPath,
            bin,
            'serve',
          ],
        ]
      : [process.execPath, [bin, 'serve']];
    const server = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(server);
    await waitFor(server, 'stderr', (l) => (/"listening"/.test(l) ? true : undefined), 'server');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]);
    if (asRoot && uid !== UNPRIVILEGED) fail(`the server runs as uid ${uid}`);

    const [healthCmd, ...healthArgs] = stage.healthcheck;
    const health = spawn(healthCmd === 'node' ? process.execPath : healthCmd, healthArgs, {
      env,
      stdio: 'ignore',
    });
    const [healthCode] = await once(health, 'exit');
    if (healthCode !== 0) fail(`the HEALTHCHECK command exited ${healthCode}`);

    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    const readyBody = await ready.json();
    if (ready.status !== 200 || readyBody.ready !== true)
      fail(`/readyz: ${ready.status} ${JSON.stringify(readyBody)}`);

    const call = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${apiKey}`,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'get_current_user', arguments: {} },
      }),
    });
    const text = await call.text();
    const json = JSON.parse(text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? 'null'));
    const result = json?.result;
    if (!result || result.isError) fail(`tools/call get_current_user: ${call.status} ${text.slice(0, 500)}`);
    const owner = info.users.find((u) => u.role === 'owner');
    if (!JSON.stringify(result).includes(owner.email))
      fail(`the tool result does not name the owner: ${text.slice(0, 500)}`);

    server.kill('SIGTERM');
    const [exitCode] = await once(server, 'exit');
    if (exitCode !== 0) fail(`the server exited ${exitCode} on SIGTERM`);

    process.stdout.write(
      `${JSON.stringify({
        installed: packageDir,
        installMs,
        uid: asRoot ? uid : `${uid} (not root: no user switch)`,
        healthcheck: 'ok',
        ready: true,
        toolCall: 'get_current_user ok',
        sigterm: 'exit 0',
      })}\n`,
    );
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`runtime stage failed: ${err.message}\n`);
    process.exit(1);
  });
}

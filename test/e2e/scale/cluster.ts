/**
 * Real server processes for the scale-out tests: `docspace-mcp serve` started as a child process
 * (the way a deployment runs it), and a small steerable load balancer that is the one public
 * base URL every instance advertises. Every child is killed by `stopAll()` and, should the test
 * process die first, on its exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import { listenNode } from '../../helpers/listen.js';
import { type RedisServer, startRedis } from '../../helpers/redis.js';

const CLI = new URL('../../../src/cli.js', import.meta.url).pathname;
const START_TIMEOUT_MS = 15_000;

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface Instance {
  name: string;
  /** Where this process listens (its own port), e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The process's stderr so far (JSON log lines; secrets are redacted by the logger). */
  logs(): string;
  /** SIGKILL, no drain: a crash or an OOM kill. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the drain to finish. */
  stop(): Promise<void>;
}

/** A fresh sealing key, as `openssl rand -base64 32` makes one. */
export const newSecret = (): string => randomBytes(32).toString('base64');

/** The environment of one instance: HTTP on a free loopback port, OAuth with the operator's DocSpace app. */
export function instanceEnv(opts: {
  docspaceUrl: string;
  oauthApp: { clientId: string; clientSecret: string };
  secret?: string;
  publicBaseUrl?: string;
  redisUrl?: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    DOCSPACE_TRANSPORT: 'http',
    DOCSPACE_HOST: '127.0.0.1',
    DOCSPACE_PORT: '0',
    DOCSPACE_BASE_URL: opts.docspaceUrl,
    DOCSPACE_OAUTH_CLIENT_ID: opts.oauthApp.clientId,
    DOCSPACE_OAUTH_CLIENT_SECRET: opts.oauthApp.clientSecret,
    DOCSPACE_LOG_LEVEL: 'info',
    ...opts.extra,
  };
  if (opts.secret) env.DOCSPACE_SECRET = opts.secret;
  if (opts.publicBaseUrl) env.DOCSPACE_SERVER_BASE_URL = opts.publicBaseUrl;
  if (opts.redisUrl) {
    env.DOCSPACE_STORE = 'redis';
    env.DOCSPACE_REDIS_URL = opts.redisUrl;
  }
  return env;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts `node dist/src/cli.js serve` and resolves once it logged the address it listens on. */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, [CLI, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms:\n${stderr}`));
    }, START_TIMEOUT_MS);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      for (const line of stderr.split('\n')) {
        const m = /"listening":"(http:\/\/[^"]+)"/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1] as string);
          return;
        }
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before listening (${code ?? signal}):\n${stderr}`));
    });
  });
  return {
    name,
    url,
    logs: () => stderr,
    async kill() {
      child.kill('SIGKILL');
      await waitForExit(child);
    },
    async stop() {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.kill('SIGTERM');
      await waitForExit(child);
      clearTimeout(timer);
    },
  };
}

/** Kills every instance still running (for `after`). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...children].map((child) => {
      child.kill('SIGKILL');
      return waitForExit(child);
    }),
  );
}

export interface Balancer {
  /** The public base URL all instances advertise (`DOCSPACE_SERVER_BASE_URL`). */
  url: string;
  /** Picks the instance for a request path; set by the test, step by step. */
  route: (path: string) => Instance;
  /** Which instance served which path, in order. */
  served: { path: string; instance: string }[];
  close(): Promise<void>;
}

/**
 * A load balancer in miniature: forwards each request unchanged (Host included) to the instance
 * `route` picks. A dead instance gives a 502, as a real balancer would.
 */
export async function startBalancer(initial: Instance): Promise<Balancer> {
  const balancer: Balancer = { url: '', route: () => initial, served: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    // `route` once per request: a route that alternates must see each request once.
    const picked = balancer.route(path);
    const target = new URL(picked.url);
    balancer.served.push({ path, instance: picked.name });
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    req.pipe(upstream);
  });
  const bound = await listenNode(server);
  balancer.url = bound.url;
  balancer.close = bound.close;
  return balancer;
}

/** The e-mail of the user a token acts as, asked through MCP (`tools/call get_current_user`). */
export async function whoAmI(baseUrl: string, accessToken: string): Promise<string> {
  const client = new Client({ name: 'scale-test', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${accessToken}` } },
    }),
  );
  try {
    const result = (await client.callTool({ name: 'get_current_user', arguments: {} })) as {
      isError?: boolean;
      content: { type: string; text?: string }[];
    };
    const text = result.content.map((c) => c.text ?? '').join('\n');
    if (result.isError) throw new Error(`get_current_user failed: ${text}`);
    const email = /[\w.+-]+@[\w.-]+\.\w+/.exec(text)?.[0];
    if (!email) throw new Error('get_current_user named no e-mail');
    return email;
  } finally {
    await client.close();
  }
}

/** A bare MCP POST with a token: status, body and `WWW-Authenticate`, without any client retries. */
export async function mcpProbe(
  baseUrl: string,
  accessToken: string,
): Promise<{
  status: number;
  body: Record<string, unknown>;
  challenge: string | null;
  retryAfter: string | null;
}> {
  const res = await fetch(`${baseUrl}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: {} }),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text.slice(0, 200) };
  }
  return {
    status: res.status,
    body,
    challenge: res.headers.get('www-authenticate'),
    retryAfter: res.headers.get('retry-after'),
  };
}

/** An emulator, a Redis, and instances A and B of `serve` sharing it behind one balancer. */
export interface Pair {
  emu: Emulator;
  redis: RedisServer;
  lb: Balancer;
  a: Instance;
  b: Instance;
  /** Stops the instances, the balancer, Redis and the emulator. */
  stop(): Promise<void>;
}

/**
 * The two-instance setup of the scale tests: the balancer's URL is the public base both advertise
 * (issuer, callback and token audience are the same wherever a request lands), the emulator's
 * confidential OAuth app, one secret, its own Redis key prefix; the balancer forwards to A until
 * the test says otherwise.
 */
export async function startPair(prefix: string, extra: Record<string, string> = {}): Promise<Pair> {
  const [emu, redis] = await Promise.all([startEmulator(), startRedis()]);
  const app = emu.info.oauthApps.find((x) => !x.isPublic);
  if (!app) throw new Error('the emulator seeds a confidential OAuth app');
  const none: Instance = {
    name: 'none',
    url: 'http://127.0.0.1:9',
    logs: () => '',
    kill: async () => {},
    stop: async () => {},
  };
  const lb = await startBalancer(none);
  const env = instanceEnv({
    docspaceUrl: emu.url,
    oauthApp: app,
    secret: newSecret(),
    publicBaseUrl: lb.url,
    redisUrl: redis.url,
    extra: { DOCSPACE_REDIS_KEY_PREFIX: prefix, ...extra },
  });
  const [a, b] = await Promise.all([startInstance('A', env), startInstance('B', env)]);
  lb.route = () => a;
  return {
    emu,
    redis,
    lb,
    a,
    b,
    stop: async () => {
      await stopAll();
      await Promise.all([lb.close(), redis.stop(), emu.close()]);
    },
  };
}

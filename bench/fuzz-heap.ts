// Does fuzzing leave anything behind in the server? Runs the server in its own process (with the
// bench's GC probe), sends it a warm-up and then a long run of malformed protocol messages and
// tool calls with random arguments, and compares the live heap after a full GC — and, with
// FUZZ_SNAPSHOTS=<dir>, heap snapshots (object counts by constructor) — before and after.
//   npm run build && node dist/bench/fuzz-heap.js [inputs=22000]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulatorProc, startServerProc } from './lib/procs.js';

const INPUTS = Number(process.argv[2] ?? 22_000);
const WARMUP = 2_000;
const CONCURRENCY = 8;
const snapshotDir = process.env.FUZZ_SNAPSHOTS;

let seed = 0x5eed;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const KEYS = [
  'jsonrpc',
  'id',
  'method',
  'params',
  'name',
  'arguments',
  'uri',
  '_meta',
  '__proto__',
  'fileId',
];
const METHODS = [
  'initialize',
  'tools/list',
  'tools/call',
  'server/discover',
  'ping',
  'resources/read',
  'resources/list',
  'x',
  '',
];
const SCALARS = [
  null,
  true,
  0,
  -1,
  1,
  2 ** 53,
  1e308,
  'a',
  '',
  '\u0000',
  'é',
  '2.0',
  'docspace://files/1',
  'x'.repeat(300),
];
const value = (depth: number): unknown => {
  const r = rand();
  if (depth > 4 || r < 0.35) return pick(SCALARS);
  if (r < 0.5) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--) o[pick(KEYS)] = value(depth + 1);
  return o;
};

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
};

interface ToolInfo {
  name: string;
  inputSchema: { properties?: Record<string, unknown> };
}

/** One fuzz input: a request body and its headers. */
function input(i: number, tools: ToolInfo[]): { body: string; headers: Record<string, string> } {
  const shape = rand();
  const modern = rand() < 0.5;
  const headers: Record<string, string> = modern
    ? { 'mcp-protocol-version': '2026-07-28' }
    : { 'mcp-protocol-version': '2025-06-18' };
  if (shape < 0.5) {
    // A tool call with random arguments shaped like the tool's own (names right, values random).
    const tool = pick(tools);
    const args: Record<string, unknown> = {};
    for (const k of Object.keys(tool.inputSchema.properties ?? {})) if (rand() < 0.7) args[k] = value(2);
    const params: Record<string, unknown> = { name: tool.name, arguments: args };
    if (modern) {
      params._meta = META;
      headers['mcp-method'] = 'tools/call';
      headers['mcp-name'] = tool.name;
    }
    return { body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/call', params }), headers };
  }
  if (shape < 0.75) {
    const method = pick(METHODS);
    const params = value(1);
    if (modern && params && typeof params === 'object' && !Array.isArray(params))
      (params as Record<string, unknown>)._meta = META;
    if (modern && method) headers['mcp-method'] = method;
    return { body: JSON.stringify({ jsonrpc: '2.0', id: i, method, params }), headers };
  }
  const text = JSON.stringify(value(0)) ?? 'null';
  return {
    body: shape < 0.9 ? text : text.slice(0, Math.floor(rand() * text.length)) + pick(['', '}', ']]', '"']),
    headers,
  };
}

/** Object counts and self sizes by constructor name, from a .heapsnapshot file. */
function census(file: string): Map<string, { count: number; size: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snap.snapshot.meta.node_types[0];
  const out = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt] as number];
    const name =
      type === 'object' || type === 'closure'
        ? `${type}:${snap.strings[snap.nodes[i + nameAt] as number]}`
        : String(type);
    const entry = out.get(name) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += snap.nodes[i + sizeAt] as number;
    out.set(name, entry);
  }
  return out;
}

async function main(): Promise<void> {
  const emulator = await startEmulatorProc(200);
  const user = emulator.info.users.find((u) => u.role === 'user') ?? emulator.info.users[0];
  const nodeArgs = snapshotDir ? ['--heapsnapshot-signal=SIGUSR1', `--diagnostic-dir=${snapshotDir}`] : [];
  const server = await startServerProc(
    {
      DOCSPACE_BASE_URL: emulator.info.baseUrl,
      DOCSPACE_API_KEY: user?.apiKey ?? '',
      DOCSPACE_LOG_LEVEL: 'warn',
      ...(process.env.FUZZ_SERVER_ENV
        ? (JSON.parse(process.env.FUZZ_SERVER_ENV) as Record<string, string>)
        : {}),
    },
    nodeArgs,
    0,
    { heapProbe: true },
  );
  const mcp = `${server.url}/mcp`;
  const list = await fetch(mcp, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'tools/list' }),
  });
  const listed = await list.text();
  const data = listed.includes('data: ') ? listed.slice(listed.indexOf('data: ') + 6).split('\n')[0] : listed;
  const tools = (JSON.parse(data ?? '{}') as { result: { tools: ToolInfo[] } }).result.tools;
  // Destructive tools would empty the portal the run draws on; they are fuzzed by the suites.
  const callable = tools.filter((t) => !/^(delete|archive|move|remove)_/.test(t.name));

  const statuses = new Map<number, number>();
  let next = 0;
  async function run(until: number): Promise<void> {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < until) {
          const { body, headers } = input(next++, callable);
          const res = await fetch(mcp, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
              ...headers,
            },
            body,
          });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      }),
    );
  }
  const snapshot = async (label: string) => {
    if (!snapshotDir) return undefined;
    const before = new Set(readdirSync(snapshotDir));
    process.kill(server.pid, 'SIGUSR1');
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const made = readdirSync(snapshotDir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
      if (made) {
        // Written in pieces: done once it ends the JSON and its size stops changing.
        const path = join(snapshotDir, made);
        let size = -1;
        while (
          size !== statSync(path).size ||
          size === 0 ||
          !readFileSync(path, 'utf8').trimEnd().endsWith('}')
        ) {
          size = statSync(path).size;
          await new Promise((r) => setTimeout(r, 1000));
        }
        console.log(`${label} snapshot: ${join(snapshotDir, made)}`);
        return join(snapshotDir, made);
      }
    }
    throw new Error('no heap snapshot was written');
  };

  await run(WARMUP);
  const warm = await server.heap();
  const first = await snapshot('after warm-up');
  const started = performance.now();
  // Halfway too: growth that goes on is a leak; growth that stops is the heap settling.
  await run(Math.floor((WARMUP + INPUTS) / 2));
  const half = await server.heap();
  await run(INPUTS);
  const seconds = (performance.now() - started) / 1000;
  const end = await server.heap();
  const second = await snapshot('after the run');
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  console.log(
    `inputs: ${INPUTS} (${WARMUP} warm-up) in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  );
  console.log(
    `live heap after GC: ${mb(warm.heapUsed)} → ${mb(half.heapUsed)} → ${mb(end.heapUsed)} (${Math.round((end.heapUsed - warm.heapUsed) / (INPUTS - WARMUP))} B/input)`,
  );
  console.log(
    `heap reserved: ${mb(warm.heapTotal)} → ${mb(half.heapTotal)} → ${mb(end.heapTotal)}; external: ${mb(warm.external)} → ${mb(end.external)}; RSS: ${mb(warm.rss)} → ${mb(half.rss)} → ${mb(end.rss)}`,
  );
  if (first && second) {
    const a = census(first);
    const b = census(second);
    const grew = [...b]
      .map(([name, v]) => ({
        name,
        count: v.count - (a.get(name)?.count ?? 0),
        size: v.size - (a.get(name)?.size ?? 0),
      }))
      .filter((d) => d.count > 100 || d.size > 100_000)
      .sort((x, y) => y.size - x.size)
      .slice(0, 15);
    console.log('grew most between the snapshots (count, bytes):');
    for (const d of grew) console.log(`  ${d.name}: ${d.count}, ${d.size}`);
  }
  await server.stop();
  await emulator.stop();
  if ((statuses.get(500) ?? 0) > 0) process.exitCode = 1;
}

await main();

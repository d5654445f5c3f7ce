// `node dist/bench/micro-pool.js [calls] [rounds]`: the MCP part of a 2026-07-28 `tools/call`
// alone, in this process, with DocSpace answered by a stub: `createMcpHandler` with our server
// factory, a fresh instance per call (as before the pool) against a pooled one, in ABBA rounds,
// as process CPU time per call. No sockets and no other process: what the pool itself saves,
// apart from the machine's noise.
import { createMcpHandler } from '@modelcontextprotocol/server';
import { resolveSelection } from '../src/tools/selection.js';
import { createServerFactory, type ServerRequest } from '../src/mcp/server.js';
import { summarize } from './lib/stats.js';

const calls = Number(process.argv[2] ?? '5000');
const rounds = Number(process.argv[3] ?? '6');

const FILE = JSON.stringify({
  response: {
    id: 42,
    title: 'Report.docx',
    folderId: 7,
    version: 3,
    pureContentLength: 12345,
    updated: '2026-12-01T10:00:00.0000000Z',
    webUrl: 'https://portal.example/doceditor?fileid=42',
  },
  status: 0,
  statusCode: 200,
});
const stubFetch = (async () =>
  new Response(FILE, { status: 200, headers: { 'content-type': 'application/json' } })) as typeof fetch;

const factory = createServerFactory({
  baseUrl: 'https://portal.example',
  selection: resolveSelection({}),
  fetch: stubFetch,
});

function handlerFor(pooled: boolean) {
  return createMcpHandler((ctx) => {
    const carried = ctx.authInfo?.extra as { serverRequest: ServerRequest } | undefined;
    const req = carried?.serverRequest ?? { credential: undefined };
    return pooled ? factory(req, ctx.era) : factory(req);
  });
}

const MODERN = '2026-07-28';
let id = 1;
async function one(handler: ReturnType<typeof createMcpHandler>): Promise<void> {
  const body = {
    jsonrpc: '2.0',
    id: id++,
    method: 'tools/call',
    params: {
      name: 'get_file_info',
      arguments: { fileId: 42 },
      _meta: {
        'io.modelcontextprotocol/protocolVersion': MODERN,
        'io.modelcontextprotocol/clientCapabilities': {},
        'io.modelcontextprotocol/clientInfo': { name: 'micro', version: '1' },
      },
    },
  };
  const req = new Request('http://127.0.0.1/mcp', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN,
      'mcp-method': 'tools/call',
      'mcp-name': 'get_file_info',
    },
  });
  const serverRequest: ServerRequest = {
    credential: { kind: 'apiKey', apiKey: 'k' },
    toolName: 'get_file_info',
    method: 'tools/call',
  };
  const res = await handler.fetch(req, {
    parsedBody: body,
    authInfo: { token: '', clientId: '', scopes: [], extra: { serverRequest } },
  });
  const text = await res.text();
  if (!text.includes('Report.docx')) throw new Error(`unexpected answer: ${text.slice(0, 300)}`);
}

async function round(handler: ReturnType<typeof createMcpHandler>, n: number): Promise<number> {
  const before = process.cpuUsage();
  // 10 in flight, as under load
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next++ < n) await one(handler);
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / n;
}

// MICRO_ALLOC=1: instead of timing, sample what a pooled call allocates (objects the GC has
// collected included) and print the top allocation sites by bytes per call.
if (process.env.MICRO_ALLOC) {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  const handler = handlerFor(true);
  await round(handler, 2000);
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 512,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  await round(handler, calls);
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
    profile: { head: AllocNode };
  };
  const sites = new Map<string, number>();
  const walk = (n: AllocNode, stack: string[]) => {
    const here = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, '')}:${n.callFrame.lineNumber + 1}`;
    if (n.selfSize > 0) sites.set(here, (sites.get(here) ?? 0) + n.selfSize);
    for (const c of n.children) walk(c, [...stack, here]);
  };
  walk(profile.head, []);
  const total = [...sites.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(`≈ ${Math.round(total / calls)} bytes allocated per call (sampled)\n`);
  for (const [k, v] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, 30))
    process.stdout.write(`${String(Math.round(v / calls)).padStart(7)} B/call  ${k}\n`);
  process.exit(0);
}
interface AllocNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocNode[];
}

const legs = [
  { name: 'fresh instance per call', handler: handlerFor(false), cpu: [] as number[] },
  { name: 'pooled instances', handler: handlerFor(true), cpu: [] as number[] },
];
for (const l of legs) await round(l.handler, Math.min(2000, calls));
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? legs : [...legs].reverse();
  for (const l of order) l.cpu.push(await round(l.handler, calls));
}
for (const l of legs) {
  const s = summarize(l.cpu);
  process.stdout.write(
    `${l.name.padEnd(26)} median ${s.p50.toFixed(4)} ms CPU per call (min ${s.min.toFixed(4)})\n`,
  );
}
const [a, b] = legs as [(typeof legs)[0], (typeof legs)[0]];
process.stdout.write(
  `pooled / fresh: ×${(summarize(b.cpu).p50 / summarize(a.cpu).p50).toFixed(2)}; per round ${b.cpu.map((x, i) => `×${(x / (a.cpu[i] as number)).toFixed(2)}`).join(' ')}\n`,
);

import { readFileSync } from 'node:fs';

/** Summarises a V8 .cpuprofile: self time by function and by module (package or source file). */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Time with the function anywhere on the stack (our code and the SDK only: that is what we can change). */
  inclusive: { name: string; ms: number; pct: number }[];
  byFunction: { name: string; ms: number; pct: number }[];
  byModule: { module: string; ms: number; pct: number }[];
  /** Each sample charged to the innermost layer on its stack (see LAYERS): where a call's CPU goes. */
  byLayer: { layer: string; ms: number; pct: number }[];
}

/**
 * Layers of a request, innermost first: a sample goes to the first layer one of its frames
 * (from the leaf up) belongs to, so socket writes made by @hono/node-server count as Hono's, and
 * zod run by the SDK as the SDK's. What matches none is Node itself (HTTP parser, sockets, timers).
 */
const LAYERS: [string, RegExp][] = [
  ['logging (pino)', /node_modules\/(pino|sonic-boom|@pinojs|safe-stable-stringify)/],
  ['2025 sessions + event store', /\/dist\/src\/(mcp\/sessions|store\/)/],
  ['DocSpace client (request out, answer parsed)', /\/dist\/src\/docspace\//],
  ['tool code (arguments, shaping)', /\/dist\/src\/(tools\/|mcp\/run-tool)/],
  ['MCP SDK', /node_modules\/@modelcontextprotocol\//],
  ['our HTTP route, auth, guards', /\/dist\/src\/(http|mcp|auth)\//],
  ['Hono + @hono/node-server (incl. response writes)', /node_modules\/(hono|@hono)\//],
];

function moduleOf(url: string): string {
  if (!url) return '(native/gc/idle)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] as string;
  const own = /\/dist\/(.+)$/.exec(url);
  if (own) return own[1] as string;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

export function summarizeProfile(path: string, top = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  const fn = new Map<string, number>();
  const mod = new Map<string, number>();
  let total = 0;
  for (const [id, t] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const name = n.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') continue;
    total += t;
    const key = `${name} ${moduleOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + t);
    const m = ['(garbage collector)', '(program)'].includes(name) ? name : moduleOf(n.callFrame.url);
    mod.set(m, (mod.get(m) ?? 0) + t);
  }
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n || n.callFrame.functionName === '(idle)') break;
      const m = moduleOf(n.callFrame.url);
      if (
        !m.startsWith('src/') &&
        !m.startsWith('@modelcontextprotocol') &&
        !m.startsWith('@hono') &&
        m !== 'hono'
      )
        continue;
      const key = `${n.callFrame.functionName || '(anonymous)'} ${m}:${n.callFrame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + t);
    }
  }
  const layer = new Map<string, number>();
  for (const [id, t] of self) {
    const leaf = byId.get(id);
    if (!leaf || leaf.callFrame.functionName === '(idle)') continue;
    let name: string | undefined =
      leaf.callFrame.functionName === '(garbage collector)' ? 'garbage collector' : undefined;
    for (let cur: number | undefined = id; cur !== undefined && name === undefined; cur = parent.get(cur)) {
      const url = byId.get(cur)?.callFrame.url ?? '';
      name = LAYERS.find(([, re]) => re.test(url))?.[0];
    }
    name ??= 'Node (HTTP parser, sockets, timers, other)';
    layer.set(name, (layer.get(name) ?? 0) + t);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    totalMs: Math.round(total),
    inclusive: sorted(incl).map(([name, ms]) => ({
      name,
      ms: Math.round(ms),
      pct: Math.round((ms / total) * 1000) / 10,
    })),
    byFunction: sorted(fn).map(([name, ms]) => ({
      name,
      ms: Math.round(ms),
      pct: Math.round((ms / total) * 1000) / 10,
    })),
    byModule: sorted(mod).map(([module, ms]) => ({
      module,
      ms: Math.round(ms),
      pct: Math.round((ms / total) * 1000) / 10,
    })),
    byLayer: sorted(layer).map(([name, ms]) => ({
      layer: name,
      ms: Math.round(ms),
      pct: Math.round((ms / total) * 1000) / 10,
    })),
  };
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type BenchContext, discoverFixtures } from '../../../bench/lib/context.js';
import { closeAgent } from '../../../bench/lib/http.js';
import { type EmulatorProc, startEmulatorProc } from '../../../bench/lib/procs.js';
import { formatMarkdown, formatTable } from '../../../bench/lib/report.js';
import { percentile, summarize } from '../../../bench/lib/stats.js';
import { measureOverhead } from '../../../bench/measures/overhead.js';
import { measureColdStart, measureToolsList } from '../../../bench/measures/startup.js';

// The bench harness's cheapest parts against real processes, so `npm run bench` cannot rot
// unnoticed. Timing budgets are not asserted (CI machines are noisy); sizes are, being exact.

describe('bench harness (quick)', () => {
  let emulator: EmulatorProc;
  let ctx: BenchContext;

  before(async () => {
    emulator = await startEmulatorProc(60);
    ctx = { quick: true, emulator, fx: await discoverFixtures(emulator), progress: () => undefined };
  });

  after(async () => {
    await emulator?.stop();
    closeAgent();
  });

  test('percentiles are nearest-rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(xs, 50), 50);
    assert.equal(percentile(xs, 99), 99);
    assert.equal(summarize([3, 1, 2]).p50, 2);
  });

  test('tools/list stays under 25 KB (25,000 bytes) with every tool, and dynamic mode is smaller', async () => {
    const r = await measureToolsList(ctx);
    const data = r.data as Record<string, { bytes: number; tools: number }>;
    const all = data['every tool (the default: all toolsets)'];
    const dynamic = data['dynamic mode (meta tools)'];
    assert.ok(all && dynamic, 'both selections measured');
    assert.ok(all.tools >= 23, `the reference's 23 tools at least, got ${all.tools}`);
    assert.ok(all.bytes < 25_000, `tools/list is ${all.bytes} bytes`);
    assert.ok(dynamic.bytes < all.bytes && dynamic.tools < all.tools);
  });

  test('cold start measures both transports to a real tools/list', async () => {
    const r = await measureColdStart(ctx, { runs: 1 });
    const data = r.data as Record<string, { n: number; p50: number }>;
    for (const leg of ['stdio', 'http', 'bareNode']) {
      assert.equal(data[leg]?.n, 1, leg);
      assert.ok((data[leg]?.p50 ?? 0) > 0, `${leg} took a positive time`);
    }
    assert.ok(
      (data.stdio?.p50 ?? 0) > (data.bareNode?.p50 ?? 0) * 0.5,
      'a server start is not faster than half a bare node start',
    );
  });

  test('overhead compares the emulator-direct call with a real tools/call', async () => {
    const r = await measureOverhead(ctx, { samples: 20, legs: ['direct', 'http-2026'] });
    const cases = (
      r.data as {
        cases: Record<string, Record<string, { latency: { n: number; p50: number }; ratio?: number }>>;
      }
    ).cases;
    for (const tool of ['get_file_info', 'get_folder_content']) {
      assert.equal(cases[tool]?.direct?.latency.n, 20, `${tool} direct samples`);
      assert.equal(cases[tool]?.['http-2026']?.latency.n, 20, `${tool} MCP samples`);
      assert.ok(Number.isFinite(cases[tool]?.['http-2026']?.ratio), `${tool} ratio`);
    }
    const table = formatTable(r.rows);
    assert.match(table, /Overhead get_file_info, http-2026/);
    assert.match(formatMarkdown(r.rows), /^\| Figure \| Budget \| Measured \| Result \|/);
  });
});

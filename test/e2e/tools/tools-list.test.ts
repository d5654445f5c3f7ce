import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { TOOLS } from '../../../src/tools/registry.js';
import { Harness } from '../../helpers/harness.js';

describe('tools/list as a client sees it', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  it('lists every tool in under 25 KB of JSON', async () => {
    const s = await h.connect();
    const { tools } = await s.client.listTools();
    const bytes = Buffer.byteLength(JSON.stringify({ tools }));
    console.log(`tools/list: ${tools.length} tools, ${bytes} bytes`);
    assert.equal(tools.length, TOOLS.length);
    // The bench's budget: 25 KB decimal for the whole JSON-RPC answer (bench/measures/startup.ts).
    assert.ok(bytes < 24_800, `tools/list is ${bytes} bytes`);
  });

  it('sends every schema as reviewed in test/fixtures/tools.snapshot.json, in both modes', async () => {
    const saved = JSON.parse(
      readFileSync(new URL('../../../../test/fixtures/tools.snapshot.json', import.meta.url), 'utf8'),
    ) as { tools: Schemas[]; metaTools: Schemas[] };
    type Schemas = { name: string; inputSchema: unknown; outputSchema?: unknown };
    const pick = ({ name, inputSchema, outputSchema }: Schemas) => ({ name, inputSchema, outputSchema });
    const s = await h.connect();
    assert.deepEqual((await s.client.listTools()).tools.map(pick), saved.tools.map(pick));
    const dynamic = await h.connect({ selection: { dynamic: true } });
    assert.deepEqual((await dynamic.client.listTools()).tools.map(pick), saved.metaTools.map(pick));
    const inner = await dynamic.client.callTool({
      name: 'get_tool_output_schema',
      arguments: { tool: 'get_file_info' },
    });
    assert.deepEqual((inner.structuredContent as { schema: unknown }).schema, saved.tools[0]?.outputSchema);
  });

  it('gives every tool a title, every hint that means something for it and an output schema', async () => {
    const s = await h.connect();
    const { tools } = await s.client.listTools();
    for (const t of tools) {
      assert.ok(t.title, `${t.name} has no title`);
      for (const hint of ['readOnlyHint', 'destructiveHint', 'openWorldHint'] as const) {
        assert.equal(typeof t.annotations?.[hint], 'boolean', `${t.name} lacks ${hint}`);
      }
      // idempotentHint only means something for tools that write (MCP spec, ToolAnnotations).
      if (t.annotations?.readOnlyHint === false) {
        assert.equal(typeof t.annotations?.idempotentHint, 'boolean', `${t.name} lacks idempotentHint`);
      }
      assert.ok(t.outputSchema, `${t.name} has no outputSchema`);
    }
  });

  it('shows only the five meta tools in dynamic mode, in a few KB', async () => {
    const s = await h.connect({ selection: { dynamic: true } });
    const { tools } = await s.client.listTools();
    const bytes = Buffer.byteLength(JSON.stringify({ tools }));
    console.log(`tools/list (dynamic): ${tools.length} tools, ${bytes} bytes`);
    assert.deepEqual(
      tools.map((t) => t.name),
      ['list_toolsets', 'list_tools', 'get_tool_input_schema', 'get_tool_output_schema', 'call_tool'],
    );
    assert.ok(bytes < 4096);
  });

  it('shows only read-only tools in read-only mode', async () => {
    const s = await h.connect({ selection: { readOnly: true } });
    const { tools } = await s.client.listTools();
    assert.ok(tools.length > 10);
    for (const t of tools) assert.equal(t.annotations?.readOnlyHint, true, t.name);
    assert.ok(!tools.some((t) => t.name === 'delete_file'));
  });
});

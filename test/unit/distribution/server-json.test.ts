import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { SETTINGS } from '../../../src/config/settings.js';

/**
 * server.json (the MCP registry entry) against the registry's server.json schema 2025-12-11.
 * The schema's validation keywords are vendored in test/fixtures/registry (the live file could
 * not be fetched here; its $comment says how it was made).
 */
const ROOT = new URL('../../../../', import.meta.url);
const read = (path: string) => JSON.parse(readFileSync(new URL(path, ROOT), 'utf8'));
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

interface EnvInput {
  name: string;
  isSecret?: boolean;
  isRequired?: boolean;
}
interface ServerJson {
  $schema: string;
  name: string;
  version: string;
  description: string;
  packages: {
    registryType: string;
    identifier: string;
    version: string;
    transport: { type: string };
    environmentVariables: EnvInput[];
  }[];
  remotes: { type: string; url: string; variables: Record<string, unknown> }[];
}

function validator() {
  const schema = read('test/fixtures/registry/server.schema.2025-12-11.json');
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  return ajv.compile(schema);
}

describe('server.json for the MCP registry', () => {
  const server = read('server.json') as ServerJson;
  const pkg = read('package.json') as { name: string; version: string; mcpName: string };

  it('validates against the 2025-12-11 schema it names', () => {
    assert.equal(
      server.$schema,
      'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    );
    const validate = validator();
    assert.equal(validate(server), true, JSON.stringify(validate.errors, null, 2));
  });

  it('the schema copy refuses what the registry refuses (it is not a pass-everything schema)', () => {
    const validate = validator();
    const bad = [
      { ...server, description: 'x'.repeat(101) },
      { ...server, name: 'no-namespace' },
      { ...server, packages: [{ ...server.packages[0], version: 'latest' }] },
      { ...server, remotes: [{ type: 'streamable-http', url: 'mcp.example.com/mcp' }] },
    ];
    for (const doc of bad) assert.equal(validate(doc), false, JSON.stringify(doc).slice(0, 200));
  });

  it('names the npm package and version this repository builds, and package.json claims the name', () => {
    assert.equal(server.version, pkg.version);
    assert.equal(pkg.mcpName, server.name);
    const npm = server.packages.find((p) => p.registryType === 'npm');
    assert.equal(npm?.identifier, pkg.name);
    assert.equal(npm?.version, pkg.version);
    assert.equal(npm?.transport.type, 'stdio');
  });

  it('offers a Streamable HTTP remote whose host the operator fills in', () => {
    const remote = server.remotes.find((r) => r.type === 'streamable-http');
    assert.equal(remote?.url, 'https://{host}/mcp');
    assert.ok(remote && 'host' in remote.variables);
  });

  it('lists only real settings, secret exactly where the settings table says so', () => {
    const byEnv = new Map(Object.values(SETTINGS).map((s) => [s.env, s]));
    for (const input of server.packages.flatMap((p) => p.environmentVariables)) {
      const setting = byEnv.get(input.name);
      assert.ok(setting, `${input.name} is not a setting in src/config/settings.ts`);
      assert.equal(input.isSecret === true, setting.secret === true, `${input.name} isSecret`);
    }
  });
});

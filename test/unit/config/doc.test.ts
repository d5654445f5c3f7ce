import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { describeConfig } from '../../../src/config/describe.js';
import { helpText, markdownReference } from '../../../src/config/doc.js';
import { loadConfig } from '../../../src/config/load.js';
import { flagOf, SETTINGS } from '../../../src/config/settings.js';

const DOC = new URL('../../../../docs/configuration.md', import.meta.url);

describe('configuration docs and help', () => {
  it('docs/configuration.md matches the settings table (run: node scripts/gen-config-doc.mjs)', () => {
    assert.equal(readFileSync(DOC, 'utf8'), markdownReference());
  });

  it('gives every setting a distinct variable and flag, shown in --help', () => {
    const settings = Object.values(SETTINGS);
    const envs = settings.flatMap((s) => [s.env, ...(s.aliases ?? [])]);
    assert.equal(new Set(envs).size, envs.length);
    const flags = settings.map((s) => flagOf(s.env));
    assert.equal(new Set(flags).size, flags.length);
    const help = helpText();
    for (const s of settings) {
      assert.ok(help.includes(`${flagOf(s.env)}`) && help.includes(`[${s.env}]`), s.env);
      assert.ok(s.description.length > 10, `${s.env} has a description`);
    }
    assert.ok(help.includes('--base-url') && help.includes('--server-base-url'));
  });

  it('the startup summary names transport, URL, auth and tools, with secrets redacted', () => {
    const c = loadConfig({
      env: {
        DOCSPACE_TRANSPORT: 'http',
        DOCSPACE_BASE_URL: 'https://p.example.com',
        DOCSPACE_API_KEY: 'sk-super-secret',
        DOCSPACE_REDIS_URL: 'redis://user:hunter2@redis:6379/0',
        DOCSPACE_STORE: 'redis',
      },
    });
    const summary = describeConfig(c);
    const text = JSON.stringify(summary);
    assert.equal(summary.transport, 'http');
    assert.equal(summary.url, 'http://127.0.0.1:8080/mcp');
    assert.deepEqual(summary.auth, ['shared apiKey', 'bearer api key/token', 'x-mcp-* headers']);
    assert.doesNotMatch(text, /super-secret|hunter2/);
    assert.match(text, /redis:\/\/user:\*\*\*@redis:6379\/0/);
  });
});

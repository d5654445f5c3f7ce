import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientAllowed, hostAllowed, registrationAllowed } from '../../../src/oauth/client-policy.js';
import type { ClientRecord } from '../../../src/oauth/clients.js';
import { resolveSettings } from '../../../src/oauth/settings.js';
import { createMemoryStore } from '../../../src/store/index.js';
import { createLogger } from '../../../src/log.js';

const settings = (allowedClients: string[]) =>
  resolveSettings({
    publicBaseUrl: 'https://mcp.example',
    docspaceBaseUrl: 'https://portal.example',
    clientId: 'app',
    secret: 'x'.repeat(32),
    store: createMemoryStore(),
    logger: createLogger({ level: 'silent', pretty: false }),
    allowedClients,
  });

const client = (over: Partial<ClientRecord>): ClientRecord => ({
  clientId: 'mcp_x',
  kind: 'registered',
  redirectUris: [],
  applicationType: 'native',
  authMethod: 'none',
  issuedAt: 0,
  ...over,
});

describe('the operator’s list of allowed AI apps', () => {
  it('matches a host or its subdomains, never a look-alike', () => {
    assert.ok(hostAllowed('claude.ai', ['claude.ai']));
    assert.ok(hostAllowed('api.claude.ai', ['claude.ai']));
    assert.ok(!hostAllowed('evilclaude.ai', ['claude.ai']));
    assert.ok(!hostAllowed('claude.ai.evil.com', ['claude.ai']));
    assert.ok(hostAllowed('[::1]', ['::1']));
    assert.ok(!hostAllowed(undefined, ['claude.ai']));
  });

  it('lets in an app by its metadata document host or by where it sends the person back', () => {
    const s = settings(['claude.ai', 'localhost']);
    const cimd = client({ kind: 'cimd', clientId: 'https://claude.ai/meta.json', documentHost: 'claude.ai' });
    assert.ok(clientAllowed(s, cimd, 'https://elsewhere.example/cb'));
    assert.ok(clientAllowed(s, client({}), 'http://localhost:33418/callback'));
    assert.ok(!clientAllowed(s, client({}), 'https://attacker.example/cb'));
    const foreignDoc = client({ kind: 'cimd', documentHost: 'apps.example' });
    assert.ok(!clientAllowed(s, foreignDoc, 'https://apps.example/cb'));
  });

  it('an empty list lets every app in', () => {
    assert.ok(clientAllowed(settings([]), client({}), 'https://any.example/cb'));
    assert.ok(registrationAllowed(settings([]), ['https://any.example/cb']));
  });

  it('refuses a registration none of whose redirect URIs is allowed', () => {
    const s = settings(['chatgpt.com']);
    assert.ok(!registrationAllowed(s, ['https://attacker.example/cb', 42]));
    assert.ok(registrationAllowed(s, ['https://attacker.example/cb', 'https://chatgpt.com/connector/cb']));
  });
});

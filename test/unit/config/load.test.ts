import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/config/errors.js';
import { loadConfig } from '../../../src/config/load.js';

const BASE = { DOCSPACE_BASE_URL: 'https://portal.example.com', DOCSPACE_API_KEY: 'sk-abc' };

function issues(env: Record<string, string>, argv: string[] = []): string[] {
  try {
    loadConfig({ env, argv });
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.issues.map((i) => `${i.name} ${i.problem}`);
  }
  assert.fail('expected a ConfigError');
}

describe('loading the configuration', () => {
  it('defaults to stdio with every toolset and a normalised base URL', () => {
    const c = loadConfig({ env: BASE });
    assert.equal(c.transport, 'stdio');
    assert.equal(c.baseUrl, 'https://portal.example.com/');
    assert.deepEqual(c.credential, { kind: 'apiKey', apiKey: 'sk-abc' });
    assert.deepEqual(c.selection.toolsets, ['files', 'folders', 'rooms', 'people']);
    assert.equal(c.port, 8080);
    assert.equal(c.publicBaseUrl, 'http://127.0.0.1:8080/');
  });

  it('reads booleans the reference way: yes/no/true/false/1/0, any case', () => {
    for (const [raw, value] of [
      ['yes', true],
      ['Y', true],
      ['TRUE', true],
      ['1', true],
      ['no', false],
      ['False', false],
      ['0', false],
      ['', false],
    ] as const) {
      assert.equal(loadConfig({ env: { ...BASE, DOCSPACE_DYNAMIC: raw } }).dynamic, value, raw);
    }
    assert.match(
      issues({ ...BASE, DOCSPACE_DYNAMIC: 'maybe' })[0] ?? '',
      /DOCSPACE_DYNAMIC is invalid: "maybe" is not a boolean/,
    );
  });

  it('reads lists trimmed, lower-cased and de-duplicated', () => {
    const c = loadConfig({
      env: { ...BASE, DOCSPACE_TOOLSETS: ' Files, rooms ,files,', DOCSPACE_DISABLED_TOOLS: 'DELETE_FILE' },
    });
    assert.deepEqual(c.selection.toolsets, ['files', 'rooms']);
    assert.deepEqual(c.selection.disabledTools, ['delete_file']);
  });

  it('lets flags win over the environment, with --flag=value, --flag value, --flag and --no-flag', () => {
    const c = loadConfig({
      env: { ...BASE, DOCSPACE_PORT: '1000', DOCSPACE_READ_ONLY: 'no', DOCSPACE_CONFIRM_DESTRUCTIVE: 'yes' },
      argv: ['--port=2000', '--read-only', '--no-confirm-destructive', '--toolsets', 'people'],
    });
    assert.equal(c.port, 2000);
    assert.equal(c.readOnly, true);
    assert.equal(c.confirmDestructive, false);
    assert.deepEqual(c.toolsets, ['people']);
  });

  it('reports every problem at once, naming the variable or flag', () => {
    const found = issues(
      {
        DOCSPACE_PORT: '70000',
        DOCSPACE_BASE_URL: 'portal.example.com',
        DOCSPACE_TRANSPORT: 'http',
        DOCSPACE_USERNAME: 'me',
        DOCSPACE_TOOLSETS: 'files,bogus',
      },
      ['--unknown-flag'],
    );
    assert.equal(found.length, 5, found.join('\n'));
    assert.ok(found.some((i) => i.startsWith('--unknown-flag is not a known option')));
    assert.ok(found.some((i) => i.startsWith('DOCSPACE_PORT is invalid: 70000 is out of range')));
    assert.ok(found.some((i) => i.startsWith('DOCSPACE_BASE_URL is invalid')));
    assert.ok(found.some((i) => i.startsWith('DOCSPACE_USERNAME is set without DOCSPACE_PASSWORD')));
    assert.ok(found.some((i) => /Unknown toolset: bogus/.test(i)));
  });

  it('refuses base URLs with a query, fragment or credentials', () => {
    for (const bad of [
      'https://p.example.com/?x=1',
      'https://p.example.com/#top',
      'https://u:p@p.example.com',
      'ftp://p.example.com',
    ]) {
      assert.equal(issues({ ...BASE, DOCSPACE_BASE_URL: bad }).length >= 1, true, bad);
    }
  });

  it('accepts both DOCSPACE_SERVER_PROXY_HOPS and the reference’s DOCSPACE_PROXY_HOPS, but not two different values', () => {
    assert.equal(loadConfig({ env: { ...BASE, DOCSPACE_PROXY_HOPS: '2' } }).proxyHops, 2);
    assert.equal(loadConfig({ env: { ...BASE, DOCSPACE_SERVER_PROXY_HOPS: '1' } }).proxyHops, 1);
    assert.match(
      issues({ ...BASE, DOCSPACE_PROXY_HOPS: '1', DOCSPACE_SERVER_PROXY_HOPS: '2' })[0] ?? '',
      /both set/,
    );
  });

  it('refuses two shared credentials, and a credential without a portal', () => {
    assert.match(
      issues({ ...BASE, DOCSPACE_AUTH_TOKEN: 't' }).join('\n'),
      /DOCSPACE_API_KEY and DOCSPACE_AUTH_TOKEN are 2 DocSpace credentials/,
    );
    assert.match(
      issues({ DOCSPACE_API_KEY: 'k' }).join('\n'),
      /DOCSPACE_BASE_URL is empty but a DocSpace credential is set/,
    );
  });

  it('needs a credential under stdio but not over HTTP, where clients bring their own', () => {
    assert.match(issues({ DOCSPACE_BASE_URL: 'https://p.example.com' }).join('\n'), /no DocSpace credential/);
    const http = loadConfig({
      env: { DOCSPACE_BASE_URL: 'https://p.example.com', DOCSPACE_TRANSPORT: 'http' },
    });
    assert.equal(http.credential, undefined);
    assert.equal(http.streamable && http.sse, true);
  });

  it('turns OAuth on with its settings and refuses mixing it with a shared credential', () => {
    const env = {
      DOCSPACE_BASE_URL: 'https://p.example.com',
      DOCSPACE_TRANSPORT: 'streamable-http',
      DOCSPACE_OAUTH_CLIENT_ID: 'id',
    };
    // Only the demo may make up a per-start key; anywhere else a restart would sign everyone out.
    const c = loadConfig({ env, randomSecret: () => 'r'.repeat(48), allowEphemeralSecret: true });
    assert.equal(c.oauth, true);
    assert.equal(c.secretEphemeral, true);
    assert.ok(c.warnings.some((w) => w.includes('DOCSPACE_SECRET')));
    assert.match(issues(env).join('\n'), /DOCSPACE_SECRET is empty but OAuth is on/);
    assert.match(
      issues({ ...env, DOCSPACE_API_KEY: 'k' }).join('\n'),
      /DOCSPACE_OAUTH_CLIENT_ID and DOCSPACE_API_KEY are set together/,
    );
    assert.match(
      issues({ ...env, DOCSPACE_STORE: 'redis', DOCSPACE_REDIS_URL: 'redis://x' }).join('\n'),
      /DOCSPACE_SECRET is empty/,
    );
    assert.match(issues({ ...env, DOCSPACE_SECRET: 'short' }).join('\n'), /too short/);
    assert.match(
      issues({ ...env, DOCSPACE_HOST: '0.0.0.0' }).join('\n'),
      /DOCSPACE_SERVER_BASE_URL is empty/,
    );
  });

  it('refuses HTTP without a portal, naming DOCSPACE_BASE_URL (every tool call would fail)', () => {
    for (const transport of ['http', 'streamable-http', 'sse']) {
      const found = issues({ DOCSPACE_TRANSPORT: transport });
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0] ?? '', /^DOCSPACE_BASE_URL is empty, so every tool call over/);
    }
    assert.match(issues({}, ['--transport', 'http']).join('\n'), /DOCSPACE_BASE_URL is empty/);
  });

  it('calls a base URL that does not parse invalid, never empty', () => {
    for (const env of [
      { DOCSPACE_BASE_URL: 'not-a-url', DOCSPACE_API_KEY: 'k' } as Record<string, string>,
      { DOCSPACE_BASE_URL: 'not-a-url', DOCSPACE_TRANSPORT: 'http' },
      { DOCSPACE_BASE_URL: 'not-a-url', DOCSPACE_TRANSPORT: 'http', DOCSPACE_OAUTH_CLIENT_ID: 'id' },
    ]) {
      const found = issues(env).filter((i) => i.startsWith('DOCSPACE_BASE_URL'));
      assert.deepEqual(
        found.map((i) => i.replace(/:.*/, '')),
        ['DOCSPACE_BASE_URL is invalid'],
        JSON.stringify(env),
      );
    }
  });

  it('names the variables actually set when OAuth meets a shared credential', () => {
    const env = {
      DOCSPACE_BASE_URL: 'https://p.example.com',
      DOCSPACE_TRANSPORT: 'http',
      DOCSPACE_SECRET: 's'.repeat(40),
    };
    const byId = issues({ ...env, DOCSPACE_OAUTH_CLIENT_ID: 'id', DOCSPACE_AUTH_TOKEN: 't' }).join('\n');
    assert.match(byId, /^DOCSPACE_OAUTH_CLIENT_ID and DOCSPACE_AUTH_TOKEN are set together/);
    assert.doesNotMatch(byId, /DOCSPACE_OAUTH_BASE_URL|DOCSPACE_API_KEY/);
    const flags = ['--username', 'me', '--password', 'pw'];
    const oauthAndPassword = { ...env, DOCSPACE_OAUTH_BASE_URL: 'https://p.example.com' };
    assert.match(
      issues(oauthAndPassword, flags).join('\n'),
      /^DOCSPACE_OAUTH_BASE_URL and --username \+ --password are set together/,
    );
    assert.throws(
      () => loadConfig({ env: oauthAndPassword, argv: flags }),
      /Fix: use either OAuth \(unset --username \+ --password\) or the shared credential \(unset DOCSPACE_OAUTH_BASE_URL\)/,
    );
  });

  it('adds the public hostname to the Host allow-list', () => {
    const c = loadConfig({
      env: { ...BASE, DOCSPACE_TRANSPORT: 'http', DOCSPACE_SERVER_BASE_URL: 'https://MCP.example.com/base' },
    });
    assert.equal(c.publicBaseUrl, 'https://mcp.example.com/base/');
    assert.deepEqual(c.allowedHostnames, ['localhost', '127.0.0.1', '[::1]', 'mcp.example.com']);
    assert.match(
      issues({ ...BASE, DOCSPACE_SERVER_ALLOWED_HOSTNAMES: 'https://x.example.com:443/' }).join('\n'),
      /not a bare hostname/,
    );
  });

  it('warns about reference variables that no longer do anything', () => {
    const c = loadConfig({ env: { ...BASE, DOCSPACE_OAUTH_AUTH_TOKEN_SECRET_KEY: 'x' } });
    assert.ok(c.warnings.some((w) => w.startsWith('DOCSPACE_OAUTH_AUTH_TOKEN_SECRET_KEY is ignored')));
  });

  it('never puts a secret value in an error message', () => {
    try {
      loadConfig({ env: { DOCSPACE_API_KEY: 'sk-very-secret', DOCSPACE_AUTH_TOKEN: 'tok-very-secret' } });
      assert.fail('expected an error');
    } catch (err) {
      assert.doesNotMatch((err as Error).message, /very-secret/);
    }
  });

  it('reads sizes with units for the body limit', () => {
    assert.equal(
      loadConfig({ env: { ...BASE, DOCSPACE_MAX_BODY_SIZE: '8MB' } }).maxBodySize,
      8 * 1024 * 1024,
    );
    assert.equal(loadConfig({ env: BASE }).maxBodySize, 48 * 1024 * 1024);
    const small = loadConfig({ env: { ...BASE, DOCSPACE_TRANSPORT: 'http', DOCSPACE_MAX_BODY_SIZE: '8MB' } });
    assert.ok(
      small.warnings.some((w) =>
        w.startsWith('DOCSPACE_MAX_BODY_SIZE is 8388608 bytes: uploads larger than about 5 MB'),
      ),
    );
  });

  it('hands the OAuth server and the rate limiter their sections as loaded', () => {
    const c = loadConfig({
      env: {
        DOCSPACE_TRANSPORT: 'http',
        DOCSPACE_BASE_URL: 'https://portal.example.com',
        DOCSPACE_OAUTH_CLIENT_ID: 'app-1',
        DOCSPACE_SECRET: 'x'.repeat(32),
        DOCSPACE_OAUTH_AUTH_TOKEN_TTL: '120000',
        DOCSPACE_SERVER_RATE_LIMITS_OAUTH_AUTHORIZE_CAPACITY: '5',
      },
    });
    assert.equal(c.oauthConfig?.clientId, 'app-1');
    assert.equal(c.oauthConfig?.accessTokenTtlMs, 120_000);
    assert.equal(c.oauthConfig?.refreshTokenTtlMs, 2_592_000_000);
    // The consent form and the connections page share the authorize endpoint's limit.
    for (const path of ['/oauth/authorize', '/oauth/consent', '/connections'])
      assert.deepEqual(c.rateLimitsByPath[path], { name: 'oauth-authorize', capacity: 5, windowMs: 60_000 });
    assert.deepEqual(c.rateLimits.oauthTokenGrant, {
      name: 'oauth-token-grant',
      capacity: 30,
      windowMs: 60_000,
    });
    assert.equal(c.rateLimitsByPath['/.well-known/openid-configuration']?.name, 'oauth-server-metadata');
    assert.equal(loadConfig({ env: BASE }).oauthConfig, undefined);
  });

  it('knows a yes/no setting by its schema, also one whose default depends on others', () => {
    const http = { ...BASE, DOCSPACE_TRANSPORT: 'http' };
    const off = loadConfig({ env: http, argv: ['--no-request-authorization-header', '--no-metrics'] });
    assert.equal(off.requestAuthorizationHeader, false);
    assert.equal(off.metrics, false);
    const on = loadConfig({ env: http, argv: ['--request-authorization-header', '--port', '9000'] });
    assert.equal(on.requestAuthorizationHeader, true);
    assert.equal(on.port, 9000);
    assert.match(issues(BASE, ['--no-port']).join('\n'), /--no-port is not a known option/);
  });
});

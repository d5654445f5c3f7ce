import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { landingPage, mcpEndpointPage } from '../../../src/http/pages.js';
import { connectionsPage, signedOutPage } from '../../../src/oauth/connections-page.js';
import { consentPage, errorPage } from '../../../src/oauth/pages.js';

const EVIL = `"><script>alert(1)</script><img src=x onerror='y'>&`;

/** No markup from the value survives, and our own markup is not escaped twice. */
function check(page: string, ours: string[]): void {
  assert.ok(!page.includes('<script') && !page.includes('<img'), 'no markup from the value');
  assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the value is shown, escaped');
  for (const markup of ours) assert.ok(page.includes(markup), markup);
  assert.ok(!page.includes('&lt;span') && !page.includes('&lt;input') && !page.includes('&lt;code'));
}

describe('pages escape every value (hono/html) and keep their own markup', () => {
  it('the consent and error pages', () => {
    for (const identity of ['trusted', 'verified', 'unverified', 'docspace-app'] as const)
      check(
        consentPage({
          clientName: EVIL,
          clientId: EVIL,
          identity,
          documentHost: EVIL,
          redirectUri: `http://127.0.0.1:1/cb?a=${EVIL}`,
          redirectIsLoopback: true,
          portalUrl: EVIL,
          requestId: EVIL,
          csrf: EVIL,
          action: EVIL,
        }),
        ['<span class="badge', '<input type="hidden" name="csrf"', '<p class="alert">'],
      );
    check(errorPage(EVIL, EVIL, EVIL, { demo: true }), ['<code data-testid="ref">']);
  });
  it('the connections pages', () => {
    const connection = {
      id: EVIL,
      name: EVIL,
      identity: 'verified' as const,
      documentHost: EVIL,
      redirectHosts: [EVIL, 'two.example'],
      connectedAt: 0,
      expiresAt: 0,
      access: 'write' as const,
    };
    const page = connectionsPage({ portalUrl: EVIL, connections: [connection], csrf: EVIL, notice: EVIL });
    check(page, ['<tr data-testid="connection">', '<br>two.example', '<p class="notice" role="status">']);
    check(signedOutPage({ portalUrl: EVIL, available: true }), ['<form method="get"']);
  });
  it('the landing and /mcp pages', () => {
    const facts = {
      mcpUrl: EVIL,
      portalUrl: EVIL,
      oauth: true,
      bearerKeys: true,
      sharedAccount: false,
      sseUrl: EVIL,
      connectionsUrl: EVIL,
    };
    check(landingPage(facts), ['<code class="url" data-testid="mcp-url">', '<li>Apps without sign-in']);
    check(mcpEndpointPage({ ...facts, oauth: false }), ['<code>Authorization: Bearer sk-…</code>']);
  });
});

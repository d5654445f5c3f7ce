import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidChallenge, pkceChallenge, safeEqual, verifyPkce } from '../../../src/oauth/crypto.js';
import {
  checkRedirectUri,
  parseScope,
  redirectUriMatches,
  resolveResource,
} from '../../../src/oauth/redirect.js';
import { createSealer } from '../../../src/oauth/seal.js';

describe('PKCE', () => {
  it('matches the RFC 7636 appendix B example', () => {
    assert.equal(
      pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });
  it('verifies only a well-formed matching verifier', () => {
    const v = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const c = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    assert.ok(verifyPkce(v, c));
    assert.ok(!verifyPkce(undefined, c));
    assert.ok(!verifyPkce('short', pkceChallenge('short')), 'verifiers under 43 characters are refused');
    assert.ok(!verifyPkce(`${v}x`, c));
    assert.ok(isValidChallenge(c));
    assert.ok(!isValidChallenge('plain-not-a-hash'));
  });
  it('safeEqual compares exactly', () => {
    assert.ok(safeEqual('abc', 'abc'));
    assert.ok(!safeEqual('abc', 'abd'));
    assert.ok(!safeEqual('abc', 'abcd'));
  });
});

describe('redirect URI policy', () => {
  it('accepts https, loopback http and app schemes for native clients', () => {
    for (const ok of [
      'https://claude.ai/api/mcp/auth_callback',
      'http://127.0.0.1:33418/',
      'http://localhost:8787/callback',
      'http://[::1]:1/cb',
      'cursor://anysphere.cursor-mcp/oauth/callback',
      'com.example.app:/cb',
    ]) {
      assert.equal(checkRedirectUri(ok), undefined, ok);
    }
  });
  it('refuses dangerous schemes, remote http, fragments and credentials', () => {
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
      'vbscript:x',
      'http://evil.example.com/cb',
      'https://a.example.com/cb#frag',
      'https://user:pw@a.example.com/cb',
      'not a uri',
    ]) {
      assert.notEqual(checkRedirectUri(bad), undefined, bad);
    }
  });
  it('web clients get https only', () => {
    assert.equal(checkRedirectUri('https://a.example.com/cb', 'web'), undefined);
    assert.notEqual(checkRedirectUri('http://127.0.0.1:1/cb', 'web'), undefined);
    assert.notEqual(checkRedirectUri('cursor://x/cb', 'web'), undefined);
  });
  it('matches exactly, except the loopback port', () => {
    const reg = ['https://a.example.com/cb', 'http://127.0.0.1/callback', 'http://localhost:8787/callback'];
    assert.ok(redirectUriMatches(reg, 'https://a.example.com/cb'));
    assert.ok(!redirectUriMatches(reg, 'https://a.example.com/cb/'));
    assert.ok(!redirectUriMatches(reg, 'https://a.example.com/cb?x=1'));
    assert.ok(!redirectUriMatches(reg, 'https://a.example.com:444/cb'));
    assert.ok(redirectUriMatches(reg, 'http://127.0.0.1:51234/callback'));
    assert.ok(redirectUriMatches(reg, 'http://localhost:9999/callback'));
    assert.ok(!redirectUriMatches(reg, 'http://127.0.0.1:51234/other'));
    assert.ok(!redirectUriMatches(reg, 'http://localhost.evil.com:8787/callback'));
    assert.ok(
      !redirectUriMatches(['http://127.0.0.1/callback'], 'http://localhost:1/callback'),
      'no localhost ↔ 127.0.0.1 cross-match',
    );
  });
});

describe('scope and resource', () => {
  it('parses scope tolerantly', () => {
    assert.equal(parseScope(' offline_access'), 'offline_access');
    assert.equal(parseScope('a  b a\tc'), 'a b c');
    assert.equal(parseScope('   '), undefined);
    assert.equal(parseScope(null), undefined);
  });
  it('defaults the resource and refuses other ones', () => {
    const r = 'https://mcp.example.com/mcp';
    assert.equal(resolveResource(undefined, r, 'https://mcp.example.com'), r);
    assert.equal(resolveResource('HTTPS://MCP.example.com/mcp/', r, 'https://mcp.example.com'), r);
    assert.equal(resolveResource('https://mcp.example.com/mcp?kb_name=x', r, 'https://mcp.example.com'), r);
    assert.equal(resolveResource('https://mcp.example.com', r, 'https://mcp.example.com'), r);
    assert.equal(resolveResource('https://evil.example.com/mcp', r, 'https://mcp.example.com'), undefined);
    assert.equal(resolveResource('https://mcp.example.com/other', r, 'https://mcp.example.com'), undefined);
  });
});

describe('sealing', () => {
  const secret = 'seal-secret-0123456789-abcdefghijk';
  it('round-trips and hides the payload', async () => {
    const s = createSealer('at', secret);
    const sealed = await s.seal({ dat: 'docspace-token-value' });
    assert.ok(!sealed.includes('docspace'));
    assert.ok(
      !Buffer.from(sealed.split('.')[3], 'base64url').toString('latin1').includes('docspace-token-value'),
    );
    assert.deepEqual(await s.open(sealed), { dat: 'docspace-token-value' });
  });
  it('does not open across purposes, secrets or after tampering', async () => {
    const at = createSealer('at', secret);
    const store = createSealer('store', secret);
    const sealed = await at.seal({ a: 1 });
    assert.equal(await store.open(sealed), undefined);
    assert.equal(await createSealer('at', 'another-secret-0123456789-abcdef').open(sealed), undefined);
    const parts = sealed.split('.');
    parts[4] = parts[4].startsWith('A') ? `B${parts[4].slice(1)}` : `A${parts[4].slice(1)}`;
    assert.equal(await at.open(parts.join('.')), undefined);
  });
  it('opens values sealed under a previous secret (rotation by kid)', async () => {
    const old = createSealer('at', 'old-secret-0123456789-abcdefghijk');
    const sealed = await old.seal({ v: 1 });
    const rotated = createSealer('at', secret, ['old-secret-0123456789-abcdefghijk']);
    assert.deepEqual(await rotated.open(sealed), { v: 1 });
    assert.equal(await createSealer('at', secret).open(sealed), undefined);
  });
  it('refuses short secrets', () => {
    assert.throws(() => createSealer('at', 'short'));
  });
  it('holds to the same minimum as the configuration (DOCSPACE_SECRET: 32+ characters)', () => {
    assert.throws(() => createSealer('at', 'x'.repeat(31)), /at least 32 characters/);
    assert.ok(createSealer('at', 'x'.repeat(32)));
  });
});

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Context } from 'hono';
import type { Facade } from '../../../src/oauth/context.js';
import { cookieHeader, readSignedCookie, signedCookieHeader } from '../../../src/oauth/cookies.js';

const facade = (secure: boolean, macKey: string, previousMacKeys: string[] = []) =>
  ({ settings: { secureCookies: secure }, macKey, previousMacKeys }) as unknown as Facade;
const sending = (setCookie: string) =>
  ({
    req: {
      raw: new Request('https://mcp.example.com/', {
        headers: { cookie: setCookie.split(';')[0] as string },
      }),
    },
  }) as unknown as Context;

describe('our cookies', () => {
  it('are __Host- and Secure over https, plain on http, HttpOnly and SameSite=Lax either way', () => {
    const https = cookieHeader(facade(true, 'k'), 'dsmcp-cx', 'n1', 600);
    assert.match(https, /^__Host-dsmcp-cx=n1;/);
    for (const attr of ['Path=/', 'HttpOnly', 'Secure', 'SameSite=Lax', 'Max-Age=600'])
      assert.ok(https.split('; ').includes(attr), `${attr} in ${https}`);
    const http = cookieHeader(facade(false, 'k'), 'dsmcp-cx', 'n1', 0);
    assert.match(http, /^dsmcp-cx=n1;/);
    assert.ok(!http.includes('Secure') && http.includes('Max-Age=0'));
  });
  it('signed: read back under the current key, stale under a previous one, refused otherwise', () => {
    const old = facade(true, 'old-key');
    const set = signedCookieHeader(old, 'dsmcp-browser', 'browser', 'browser-1', 60);
    assert.match(set, /^__Host-dsmcp-browser=browser-1\.[\w-]{43};/);
    assert.deepEqual(readSignedCookie(old, sending(set), 'dsmcp-browser', 'browser'), {
      value: 'browser-1',
      stale: false,
    });
    const rotated = facade(true, 'new-key', ['old-key']);
    assert.deepEqual(readSignedCookie(rotated, sending(set), 'dsmcp-browser', 'browser'), {
      value: 'browser-1',
      stale: true,
    });
    assert.equal(
      readSignedCookie(facade(true, 'new-key'), sending(set), 'dsmcp-browser', 'browser'),
      undefined,
    );
    assert.equal(readSignedCookie(old, sending(set), 'dsmcp-browser', 'other-purpose'), undefined);
    const forged = set.replace('browser-1', 'browser-2');
    assert.equal(readSignedCookie(old, sending(forged), 'dsmcp-browser', 'browser'), undefined);
  });
  it('checks browser cookies issued before hono/cookie took over (same value.MAC format)', () => {
    const mac = createHmac('sha256', 'k').update('browser:b-1').digest('base64url');
    const earlier = `__Host-dsmcp-browser=b-1.${mac}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure`;
    assert.deepEqual(readSignedCookie(facade(true, 'k'), sending(earlier), 'dsmcp-browser', 'browser'), {
      value: 'b-1',
      stale: false,
    });
  });
});

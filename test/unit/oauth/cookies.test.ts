import assert from 'node:assert/strict';
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
  it('signed: read back under the current key, stale under a previous one, refused otherwise', async () => {
    const old = facade(true, 'old-key');
    const set = await signedCookieHeader(old, 'dsmcp-browser', 'browser-1', 60);
    assert.deepEqual(await readSignedCookie(old, sending(set), 'dsmcp-browser'), {
      value: 'browser-1',
      stale: false,
    });
    const rotated = facade(true, 'new-key', ['old-key']);
    assert.deepEqual(await readSignedCookie(rotated, sending(set), 'dsmcp-browser'), {
      value: 'browser-1',
      stale: true,
    });
    assert.equal(await readSignedCookie(facade(true, 'new-key'), sending(set), 'dsmcp-browser'), undefined);
    const forged = set.replace('browser-1', 'browser-2');
    assert.equal(await readSignedCookie(old, sending(forged), 'dsmcp-browser'), undefined);
  });
});

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { INIT, rpc, startServer } from '../../e2e/transport/helpers.js';

describe('who a request was, in the logs', () => {
  let server: HttpServerHandle;
  const logs: string[] = [];
  before(async () => {
    server = await startServer({ DOCSPACE_SECRET: 's'.repeat(40) }, undefined, logs);
  });
  after(() => server.close());

  it('a user name + password is labelled with a keyed hash: a log reader cannot check password guesses', async () => {
    const res = await rpc(`${server.url}/mcp`, INIT, {
      'x-mcp-username': 'alice@example.com',
      'x-mcp-password': 'hunter2',
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    const line = logs
      .map((l) => JSON.parse(l) as { msg?: string; user?: string })
      .find((l) => l.msg === 'request' && l.user);
    assert.ok(line?.user, 'the request line names the principal');
    const unkeyed = `basic:${createHash('sha256').update('alice@example.com:hunter2').digest('base64url').slice(0, 16)}`;
    assert.notEqual(line.user, unkeyed);
    assert.match(line.user, /^basic:[A-Za-z0-9_-]{16}$/);
    assert.doesNotMatch(logs.join('\n'), /hunter2/);
  });
});

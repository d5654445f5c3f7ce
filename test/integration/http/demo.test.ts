import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDemo } from '../../../src/demo.js';
import { createLogger } from '../../../src/log.js';
import { INIT, rpc } from '../../e2e/transport/helpers.js';

describe('the demo', () => {
  it('the API key it prints works as a Bearer beside OAuth sign-in', async () => {
    const logs: string[] = [];
    const logger = createLogger({
      level: 'info',
      pretty: false,
      destination: { write: (line: string) => void logs.push(line) },
    });
    const printed: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let stop: (() => Promise<void>) | undefined;
    try {
      stop = await runDemo(['--port', '0'], logger);
    } finally {
      process.stderr.write = write;
    }
    try {
      const key = /Authorization: Bearer (\S+)/.exec(printed.join(''))?.[1];
      assert.ok(key, printed.join(''));
      const url = logs
        .map((l) => JSON.parse(l) as { listening?: string })
        .find((l) => l.listening)?.listening;
      assert.ok(url);
      const res = await rpc(`${url.replace(/\/+$/, '')}/mcp`, INIT, { authorization: `Bearer ${key}` });
      assert.equal(res.status, 200);
      await res.body?.cancel();
    } finally {
      await stop?.();
    }
  });
});

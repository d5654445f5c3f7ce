import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createReadiness } from '../../../src/http/health.js';

describe('/readyz report', () => {
  it('is not ready while the portal does not answer', async () => {
    const refused: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));
    const report = await createReadiness({ docspaceUrl: 'https://p.example.com/', fetch: refused })();
    assert.equal(report.ready, false);
    assert.deepEqual(report.checks.docspace, { ok: false, detail: 'unreachable' });
  });

  it('is not ready without a portal at all (every tool call would fail)', async () => {
    const report = await createReadiness({})();
    assert.equal(report.ready, false);
    assert.deepEqual(report.checks.docspace, { ok: false, detail: 'no portal configured' });
  });
});

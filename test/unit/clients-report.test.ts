// The client suite's table (test/clients/report.ts): the region in docs/clients.md is replaced
// in place, and a step that passed in the committed table and fails now is a regression.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cannot, type ClientResult, fail, notApplicable, pass } from '../clients/model.js';
import { compare, END, recorded, renderRegion, START, withRegion } from '../clients/report.js';

function result(overrides: Partial<ClientResult['steps']> = {}): ClientResult {
  return {
    id: 'codex',
    name: 'Codex CLI',
    package: '@openai/codex',
    version: '0.171.0',
    seconds: 1,
    steps: {
      apiKey: pass('`--bearer-token-env-var`'),
      badKey: fail('lists 35 tools'),
      oauthDcr: pass(),
      oauthCimd: pass(),
      toolsList: pass('35 tools'),
      toolCall: notApplicable('no'),
      ...overrides,
    },
  };
}

describe('client suite table', () => {
  const meta = { date: '2026-12-06', node: 'v20' };

  it('writes the region once and replaces only it on the next run', () => {
    const doc = '# Clients\n\nintro\n\n## The ways to connect\n\nrest\n';
    const first = withRegion(doc, renderRegion([result()], meta));
    assert.equal(first.split(START).length, 2);
    assert.ok(first.indexOf(END) < first.indexOf('## The ways to connect'));
    const second = withRegion(first, renderRegion([result({ apiKey: fail('401 | refused') })], meta));
    assert.equal(second.split(START).length, 2);
    assert.match(second, /✘ 401 \\\| refused/);
    assert.ok(
      second.startsWith('# Clients\n\nintro\n') && second.endsWith('## The ways to connect\n\nrest\n'),
    );
  });

  it('a step that passed and now fails is a regression; one that cannot run here is only reported', () => {
    const before = recorded(renderRegion([result()], meta));
    assert.deepEqual(before.codex, {
      apiKey: 'pass',
      badKey: 'fail',
      oauthDcr: 'pass',
      oauthCimd: 'pass',
      toolsList: 'pass',
      toolCall: 'n/a',
    });
    assert.deepEqual(compare(before, [result()]), { regressions: [], unverified: [] });
    const now = compare(before, [
      result({ oauthCimd: fail('document refused'), oauthDcr: cannot('no Chromium'), toolCall: fail('x') }),
    ]);
    assert.equal(now.regressions.length, 1);
    assert.match(now.regressions[0], /metadata document.*document refused/);
    assert.equal(now.unverified.length, 1);
  });
});

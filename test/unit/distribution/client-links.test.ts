import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

/** The one-click install links in docs/clients.md decode to the server they claim to add. */
const clients = readFileSync(new URL('../../../../docs/clients.md', import.meta.url), 'utf8');
const DEMO = 'http://127.0.0.1:8080/mcp';

describe('install links in docs/clients.md', () => {
  it('the VS Code link and `code --add-mcp` add the demo server over HTTP', () => {
    const links = [...clients.matchAll(/\]\((vscode:mcp\/install\?[^)\s]+)\)/g)].map((m) => m[1] as string);
    assert.equal(links.length, 1);
    const config = JSON.parse(decodeURIComponent((links[0] as string).slice('vscode:mcp/install?'.length)));
    assert.deepEqual(config, { name: 'docspace', type: 'http', url: DEMO });
    const cli = /code --add-mcp '([^']+)'/.exec(clients)?.[1] ?? '';
    assert.deepEqual(JSON.parse(cli), config);
  });

  it('the Cursor link adds the demo server, its config base64 JSON as Cursor expects', () => {
    const links = [
      ...clients.matchAll(/\]\((cursor:\/\/anysphere\.cursor-deeplink\/mcp\/install\?[^)\s]+)\)/g),
    ];
    assert.equal(links.length, 1);
    const url = new URL(links[0]?.[1] as string);
    assert.equal(url.searchParams.get('name'), 'docspace');
    const config = JSON.parse(Buffer.from(url.searchParams.get('config') ?? '', 'base64').toString('utf8'));
    assert.deepEqual(config, { url: DEMO });
  });
});

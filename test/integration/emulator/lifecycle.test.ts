import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEmulator } from '../../../emulator/index.js';

describe('emulator: lifecycle', () => {
  it('listens on loopback but names itself by publicUrl in links', async () => {
    const emu = await startEmulator({ publicUrl: 'https://portal.example.com/' });
    try {
      assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(emu.info.baseUrl, 'https://portal.example.com');
      const key = emu.info.users.find((u) => u.role === 'user')?.apiKey;
      const r = await fetch(`${emu.url}/api/2.0/files/@my`, { headers: { Authorization: `Bearer ${key}` } });
      const body = (await r.json()) as { response: { files: { viewUrl: string }[] } };
      assert.ok(body.response.files[0]?.viewUrl.startsWith('https://portal.example.com/filehandler.ashx?'));
    } finally {
      await emu.close();
    }
  });

  it('keeps two emulators apart and closes twice without error', async () => {
    const a = await startEmulator({ seed: 'empty' });
    const b = await startEmulator({ seed: 'empty' });
    try {
      assert.notEqual(a.url, b.url);
      a.setFaults({ serverErrors: { count: 1 } });
      assert.equal((await fetch(`${b.url}/api/2.0/authentication`)).status, 200);
      assert.equal((await fetch(`${a.url}/api/2.0/authentication`)).status, 500);
      assert.deepEqual(
        a.info.users.map((u) => u.apiKey),
        b.info.users.map((u) => u.apiKey),
        'the seed is deterministic',
      );
    } finally {
      await a.close();
      await b.close();
    }
    await a.close();
  });
});

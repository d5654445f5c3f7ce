import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMemoryStore } from '../../../src/store/memory.js';
import {
  authorizeUrl,
  CookieJar,
  type Facade,
  hiddenInputs,
  pkcePair,
  register,
  SECRET,
  startFacade,
} from './helpers/facade.js';
import { type FakeDocSpace, startFakeDocSpace } from '../../helpers/fake-docspace.js';

const APP = { clientId: 'docspace-app-1', clientSecret: 'docspace-app-secret' };
const CB = 'http://127.0.0.1:7000/client-callback';
const NEW_SECRET = 'the-new-secret-after-rotation-0123456789';

describe('rotating DOCSPACE_SECRET keeps consent pages and remembered consents working', () => {
  let upstream: FakeDocSpace;
  let before_: Facade;
  let after_: Facade;
  let clientId: string;
  before(async () => {
    upstream = await startFakeDocSpace({ apps: [APP] });
    const store = createMemoryStore();
    const common = {
      docspaceBaseUrl: upstream.url,
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
      store,
    };
    before_ = await startFacade(common);
    after_ = await startFacade({ ...common, secret: NEW_SECRET, previousSecrets: [SECRET] });
    clientId = (
      await register(before_.url, {
        client_name: 'Rotation',
        redirect_uris: [CB],
        token_endpoint_auth_method: 'none',
      })
    ).client_id;
  });
  after(async () => {
    await before_.close();
    await after_.close();
    await upstream.close();
  });

  const params = () => ({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CB,
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
    state: 'st',
  });

  async function consent(facade: Facade, jar: CookieJar, fields: Record<string, string>, remember = false) {
    const res = await fetch(`${facade.url}/oauth/consent`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: jar.header(),
        origin: facade.url,
      },
      body: new URLSearchParams({ ...fields, decision: 'allow', ...(remember ? { remember: '1' } : {}) }),
    });
    jar.absorb(res);
    return res;
  }

  it('a consent page opened before the rotation is accepted after it', async () => {
    const jar = new CookieJar();
    const page = await fetch(authorizeUrl(before_.url, params()), { redirect: 'manual' });
    jar.absorb(page);
    assert.equal(page.status, 200);
    const fields = hiddenInputs(await page.text());
    const res = await consent(after_, jar, fields);
    assert.equal(res.status, 302, await res.text());
  });

  it('a consent remembered before the rotation still skips the page after it', async () => {
    const jar = new CookieJar();
    const page = await fetch(authorizeUrl(before_.url, params()), { redirect: 'manual' });
    jar.absorb(page);
    const remembered = await consent(before_, jar, hiddenInputs(await page.text()), true);
    assert.equal(remembered.status, 302);
    const again = await fetch(authorizeUrl(after_.url, params()), {
      redirect: 'manual',
      headers: { cookie: jar.header() },
    });
    assert.equal(again.status, 302, 'no consent page: the remembered choice holds');
  });
});

import { CookieJar } from '../../../helpers/oauth-flow.js';

/**
 * Plays the person at the emulator's DocSpace sign-in and consent pages (emulator/oauth/authorize.ts):
 * GET authorize → sign-in form (email, password; posts back to the same URL) → consent page with
 * an allow form (client_id, state, scope…) and a deny form → 302 to our callback.
 */
export function emulatorPerson(
  user: { email: string; password: string },
  decision: 'allow' | 'deny' = 'allow',
) {
  const jar = new CookieJar();
  return async function upstream(location: string): Promise<string> {
    let res = await fetch(location, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.absorb(res);
    let url = location;
    for (let step = 0; step < 4; step++) {
      if (res.status === 302) return res.headers.get('location') ?? '';
      if (res.status !== 200 && res.status !== 401) throw new Error(`DocSpace page answered ${res.status}`);
      const html = await res.text();
      let form: URLSearchParams;
      if (html.includes('id="signin"')) {
        form = new URLSearchParams({ email: user.email, password: user.password });
      } else {
        const id = decision === 'allow' ? 'consent-allow' : 'consent-deny';
        const match = new RegExp(`<form id="${id}" method="post" action="([^"]*)">(.*?)</form>`, 's').exec(
          html,
        );
        if (!match) throw new Error('no DocSpace consent form found');
        url = new URL(match[1].replace(/&amp;/g, '&'), url).toString();
        form = new URLSearchParams();
        for (const m of match[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
          form.append(m[1], m[2]);
      }
      res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
        body: form,
      });
      jar.absorb(res);
    }
    throw new Error('DocSpace sign-in did not finish');
  };
}

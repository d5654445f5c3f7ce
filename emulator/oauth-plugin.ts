// Wires the OAuth server (emulator/oauth/, its own module) into the emulator: one handler for its
// paths, its access-token check for the API, and its reset.
import { Hono } from 'hono';
import type { OAuthFactory } from './index.js';
import { createOAuthServer } from './oauth/index.js';

/** Paths the OAuth server answers (authorization server, discovery, login page, client registration). */
export const OAUTH_PATHS =
  /^\/(oauth2(\/|$)|\.well-known\/|login(\/|$|\?)|api\/2\.0\/(oauth2(\/|$)|clients(\/|$)|scopes(\/|$)))/;

export const createOAuthPlugin: OAuthFactory = ({ directory, faults }) => {
  const server = createOAuthServer({ directory, faults: () => faults.current });
  const app = new Hono();
  app.route('/', server.app);
  app.route('/', server.clientsApp);
  return {
    app,
    paths: OAUTH_PATHS,
    verifyOAuthAccessToken: (token, requestOrigin) => server.verifyAccessToken(token, requestOrigin),
    grantsIssued: () => server.grantsIssued(),
    reset: () => server.reset(),
  };
};

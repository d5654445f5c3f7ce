// Wires the OAuth server (emulator/oauth/, built separately) into the emulator: its routes and its
// access-token check. Undefined until that module exports a factory.
import type { OAuthFactory } from './index.js';

export const createOAuthPlugin: OAuthFactory | undefined = undefined;

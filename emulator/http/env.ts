// Per-request context shared by the route modules.
import type { Context } from 'hono';
import { DtoMaker } from '../portal/dto.js';
import type { World } from '../portal/world.js';
import type { Principal } from './auth.js';

export type Env = {
  Variables: { principal: Principal; world: World };
};

export type Ctx = Context<Env>;

export function world(c: Ctx): World {
  return c.get('world');
}

export function caller(c: Ctx) {
  return c.get('principal').user;
}

export function dto(c: Ctx): DtoMaker {
  return new DtoMaker(c.get('world').portal, c.get('principal').user);
}

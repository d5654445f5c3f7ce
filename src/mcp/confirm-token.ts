import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a confirmation code stays good: long enough to ask a person, short enough to go stale. */
export const CONFIRM_TTL_SECONDS = 300;

/** JSON with object keys sorted, so equal arguments give equal text whatever their order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface ConfirmCodes {
  /** A code for this call: the tool, its exact arguments and the caller, for a few minutes. */
  issue(tool: string, args: unknown, caller: string, nowMs?: number): string;
  /** Whether `code` was issued for exactly this call and has not expired. */
  check(tool: string, args: unknown, caller: string, code: string, nowMs?: number): boolean;
}

/**
 * Confirmation codes for clients that cannot show a question (two-step destructive calls). A
 * code is an expiry plus an HMAC over the tool, its arguments and the caller: nothing is stored,
 * so any instance sharing the key checks it, and a code fits no other arguments or person.
 */
export function createConfirmCodes(key: string | undefined): ConfirmCodes {
  const secret = key ? `confirm-code:${key}` : randomBytes(32).toString('hex');
  const mac = (tool: string, args: unknown, caller: string, exp: number) =>
    createHmac('sha256', secret)
      .update(`${tool}\n${exp}\n${caller}\n${canonical(args)}`)
      .digest('base64url')
      .slice(0, 16);
  return {
    issue(tool, args, caller, nowMs = Date.now()) {
      const exp = Math.floor(nowMs / 1000) + CONFIRM_TTL_SECONDS;
      return `${exp.toString(36)}-${mac(tool, args, caller, exp)}`;
    },
    check(tool, args, caller, code, nowMs = Date.now()) {
      const m = /^([0-9a-z]{1,10})-([A-Za-z0-9_-]{16})$/.exec(code.trim());
      if (!m) return false;
      const exp = Number.parseInt(m[1] as string, 36);
      if (!(exp * 1000 > nowMs)) return false;
      const want = Buffer.from(mac(tool, args, caller, exp));
      const got = Buffer.from(m[2] as string);
      return want.length === got.length && timingSafeEqual(want, got);
    },
  };
}

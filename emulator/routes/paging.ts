// startIndex/count paging: count is Range(1,100), default 100 (reference/docspace-api.md §1.3).
import type { Context } from 'hono';
import { qInt } from '../http/input.js';
import { ValidationError } from '../portal/errors.js';

export function pageParams(c: Context): { startIndex: number; count: number } {
  const count = qInt(c, 'count') ?? 100;
  const startIndex = qInt(c, 'startIndex') ?? 0;
  if (count < 1 || count > 100) {
    throw new ValidationError({ Count: ['The field Count must be between 1 and 100.'] });
  }
  if (startIndex < 0) {
    throw new ValidationError({ StartIndex: ['The field StartIndex must be between 0 and 2147483647.'] });
  }
  return { startIndex, count };
}

export function paging<T>(c: Context, list: T[]): { items: T[]; total: number; startIndex: number } {
  const { startIndex, count } = pageParams(c);
  return { items: list.slice(startIndex, startIndex + count), total: list.length, startIndex };
}

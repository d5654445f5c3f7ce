import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Store } from '../../store/store.js';

/**
 * The machinery behind every stored OAuth record (`./index.ts` lists the kinds): a record is
 * JSON with a version field `v`; reading validates it against the kind's zod schema. A record
 * that fails validation — corrupt, written by a version we do not know, or of another shape —
 * is treated as absent (the same answer as expired) and logged once per kind and process, with
 * the schema's complaint and never the record's content. A record without `v` is the shape
 * written before records were versioned (version 0): it is read through the kind's `upgrade`,
 * so instances of the previous release and of this one can share a store during a rolling
 * upgrade.
 */

/** How long a record lives, in seconds, from the settings that govern it. */
export interface TtlSettings {
  refreshTokenTtl: number;
  clientTtl: number;
}

export interface RecordKind<T> {
  /** Short name for logs and tests. */
  name: string;
  /** The key as documented in docs/storage.md, placeholders in `<…>`. */
  pattern: string;
  /** The version written now; reading accepts it and version 0 (no `v`). */
  version: number;
  schema: z.ZodType<T>;
  /** Turns a version-0 record into the current shape before validation; default: as is. */
  upgrade?: (legacy: Record<string, unknown>) => unknown;
  /** The TTL rule as docs/storage.md states it (the start of that row's TTL cell). */
  ttlText: string;
}

/** A key family with no JSON value: a flag (`1`), a lock holder or a counter. */
export interface KeyFamily {
  name: string;
  pattern: string;
  ttlText: string;
}

/** The stored text of a record: its fields and the kind's current version. */
export function encodeRecord<T>(kind: RecordKind<T>, value: T): string {
  return JSON.stringify({ v: kind.version, ...(value as object) });
}

export type Invalid = (kind: RecordKind<unknown>, reason: string) => void;

/** The record in `raw`, or undefined (and `invalid` told why) when it does not validate. */
export function decodeRecord<T>(kind: RecordKind<T>, raw: string, invalid?: Invalid): T | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    invalid?.(kind as RecordKind<unknown>, 'not JSON');
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    invalid?.(kind as RecordKind<unknown>, 'not a JSON object');
    return undefined;
  }
  const { v, ...fields } = parsed as Record<string, unknown>;
  let candidate: unknown;
  if (v === undefined) candidate = kind.upgrade ? kind.upgrade(fields) : fields;
  else if (v === kind.version) candidate = fields;
  else {
    invalid?.(kind as RecordKind<unknown>, `unknown version ${typeof v === 'number' ? v : typeof v}`);
    return undefined;
  }
  const result = kind.schema.safeParse(candidate);
  if (result.success) return result.data;
  // Paths and expectations only: a message may not quote the value, and values hold secrets.
  const issues = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`)
    .join('; ');
  invalid?.(kind as RecordKind<unknown>, issues);
  return undefined;
}

/** Logs an invalid record once per kind and process (a corrupt store must not flood the log). */
export function invalidOnce(logger: Logger | undefined): Invalid {
  const told = new Set<string>();
  return (kind, reason) => {
    if (told.has(kind.name)) return;
    told.add(kind.name);
    logger?.warn(
      { record: kind.name, pattern: kind.pattern, reason },
      'a stored record did not validate and is treated as absent',
    );
  };
}

/** Reads and writes records of any kind in one store, validating every read. */
export function createRecordIO(store: Store, logger?: Logger) {
  const invalid = invalidOnce(logger);
  const decode = <T>(kind: RecordKind<T>, raw: string | undefined) =>
    raw === undefined ? undefined : decodeRecord(kind, raw, invalid);
  return {
    store,
    decode,
    /** The record and its stored text (for compare-and-set), or undefined. */
    async load<T>(kind: RecordKind<T>, key: string): Promise<{ raw: string; value: T } | undefined> {
      const raw = await store.get(key);
      const value = decode(kind, raw);
      return raw !== undefined && value !== undefined ? { raw, value } : undefined;
    },
    async get<T>(kind: RecordKind<T>, key: string): Promise<T | undefined> {
      return decode(kind, await store.get(key));
    },
    /** Reads and deletes in one step (single-use records). */
    async take<T>(kind: RecordKind<T>, key: string): Promise<T | undefined> {
      return decode(kind, await store.take(key));
    },
    async set<T>(kind: RecordKind<T>, key: string, value: T, ttlSeconds: number): Promise<void> {
      await store.set(key, encodeRecord(kind, value), ttlSeconds);
    },
  };
}

export type RecordIO = ReturnType<typeof createRecordIO>;

const byStore = new WeakMap<Store, RecordIO>();

/**
 * The records of a store for code that has the store but not the facade (client lookups): the
 * one the facade made with its logger, or a silent one.
 */
export function recordsOf(store: Store): RecordIO {
  let io = byStore.get(store);
  if (!io) {
    io = createRecordIO(store);
    byStore.set(store, io);
  }
  return io;
}

/** Makes `io` the one `recordsOf` answers for its store (the facade's, which logs). */
export function registerRecords(io: RecordIO): RecordIO {
  byStore.set(io.store, io);
  return io;
}

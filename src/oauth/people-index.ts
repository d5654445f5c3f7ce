import type { Store } from '../store/store.js';
import { OAuthError } from './errors.js';
import { decodeRecord, encodeRecord, people as peopleRecord, type PeopleList } from './records/index.js';

/**
 * Who has connections: one record (`oauth:people`) listing the DocSpace user ids that made an
 * MCP connection, newest first, for the portal admins' "All connections" view. The Store has no
 * set primitive, so it is one JSON value changed under compare-and-set; it is bounded (the
 * oldest beyond `MAX_PEOPLE` drop off the view, not their connections) and pruned as the view
 * finds people without connections. Only user ids: no names, no tokens.
 */
export const PEOPLE_KEY = peopleRecord.key();
export const MAX_PEOPLE = 5000;
const MAX_CAS_TRIES = 50;
/** A person listed this recently is not moved up again: sign-ins rarely write the hot key. */
const FRESH_MS = 3600_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type PeopleRecord = PeopleList;

export interface PeopleIndex {
  /** Puts the person first (a new or renewed connection). */
  add(userId: string, at: number): Promise<void>;
  /** Removes people the view found without connections, unless they connected again since. */
  remove(entries: readonly { id: string; at: number }[]): Promise<void>;
  /** One page of people, newest first, and the total. */
  page(offset: number, count: number): Promise<{ people: { id: string; at: number }[]; total: number }>;
}

function parse(raw: string | undefined): PeopleRecord {
  return (raw === undefined ? undefined : decodeRecord(peopleRecord, raw)) ?? { people: [] };
}

export function createPeopleIndex(store: Store, ttlSeconds: number, max = MAX_PEOPLE): PeopleIndex {
  /** `fn` returns the next list, or undefined to leave the record alone. */
  async function change(
    fn: (people: PeopleRecord['people']) => PeopleRecord['people'] | undefined,
  ): Promise<void> {
    for (let i = 0; i < MAX_CAS_TRIES; i++) {
      // Writers of this one key race (many sign-ins at once): back off with jitter after a loss.
      if (i > 0) await sleep(Math.random() * Math.min(50, 2 * i));
      const raw = await store.get(PEOPLE_KEY);
      const changed = fn(parse(raw).people);
      if (!changed) return;
      const next = encodeRecord(peopleRecord, { people: changed.slice(0, max) });
      if (raw === next) return;
      const done =
        raw === undefined
          ? await store.setIfAbsent(PEOPLE_KEY, next, ttlSeconds)
          : await store.compareAndSet(PEOPLE_KEY, raw, next, ttlSeconds);
      if (done) return;
    }
    throw new OAuthError('temporarily_unavailable', 'the list of connected people is busy; try again');
  }

  return {
    add: (userId, at) =>
      change((people) =>
        people.some((p) => p.id === userId && at - p.at < FRESH_MS && at >= p.at)
          ? undefined
          : [{ id: userId, at }, ...people.filter((p) => p.id !== userId)],
      ),
    remove: async (entries) => {
      if (entries.length === 0) return;
      const gone = new Map(entries.map((e) => [e.id, e.at]));
      await change((people) => people.filter((p) => gone.get(p.id) !== p.at));
    },
    async page(offset, count) {
      const { people } = parse(await store.get(PEOPLE_KEY));
      return { people: people.slice(offset, offset + count), total: people.length };
    },
  };
}

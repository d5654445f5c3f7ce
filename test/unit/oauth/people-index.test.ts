import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPeopleIndex } from '../../../src/oauth/people-index.js';
import { createMemoryStore } from '../../../src/store/index.js';

describe('the index of people with connections (admins’ view)', () => {
  it('keeps each person once, newest first, bounded', async () => {
    const people = createPeopleIndex(createMemoryStore(), 60, 3);
    const hour = 3600_000;
    const ids = async () => (await people.page(0, 10)).people.map((p) => p.id);
    await people.add('a', 1);
    await people.add('b', 2);
    await people.add('a', 3);
    assert.deepEqual(await ids(), ['b', 'a'], 'listed within the hour: not written again');
    await people.add('a', 3 + hour);
    assert.deepEqual(await ids(), ['a', 'b']);
    await people.add('c', 4 + hour);
    await people.add('d', 5 + hour);
    const page = await people.page(0, 10);
    assert.deepEqual(
      page.people.map((p) => p.id),
      ['d', 'c', 'a'],
    );
    assert.equal(page.total, 3);
    assert.deepEqual(
      (await people.page(1, 1)).people.map((p) => p.id),
      ['c'],
    );
  });

  it('concurrent additions from many requests all land (compare-and-set)', async () => {
    const people = createPeopleIndex(createMemoryStore(), 60);
    await Promise.all(Array.from({ length: 60 }, (_, i) => people.add(`u${i}`, i)));
    assert.equal((await people.page(0, 100)).total, 60);
  });

  it('pruning spares a person who connected again since the view looked', async () => {
    const people = createPeopleIndex(createMemoryStore(), 60);
    await people.add('a', 1);
    await people.add('b', 1);
    const seen = (await people.page(0, 10)).people;
    await people.add('a', 2 + 3600_000);
    await people.remove(seen);
    assert.deepEqual(
      (await people.page(0, 10)).people.map((p) => p.id),
      ['a'],
    );
  });
});

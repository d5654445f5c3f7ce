import { z } from 'zod';
import { DocSpaceError } from '../docspace/errors.js';
import { keysOf, SORT_PEOPLE } from './filters.js';
import { entryOut, fieldsArg, listOutput, nextPage, pagingArgs, personOut, sortOrderArg } from './schema.js';
import { type Entity, entryLine, fieldsFor, PERSON_FIELDS, pageText, projectPerson } from './shape.js';
import { defineTool, READ, type ToolContext, ToolInputError } from './types.js';

type Person = Entity;

// DocSpace lets only admins and room admins list people (`people/filter` is 403 for Users and
// Guests), and OAuth sign-ins need accounts:read; looking up one exact email works for everyone.
const LIST_DENIED =
  'Access denied: only DocSpace admins and room admins may list or search all people (and an OAuth sign-in needs the accounts:read scope).';
const WHAT_WORKS =
  'find_person with an exact `email` works for everyone; find_person with `name` searches the members of your rooms.';
const BY_EMAIL = 'Search by exact address instead: find_person with `email`.';
const ROOMS_ONLY =
  'Only the members of your rooms were searched: your account cannot search all people by name. Give `email` to find anyone else by exact address.';

const isForbidden = (e: unknown) => e instanceof DocSpaceError && e.code === 'forbidden';

/** The same refusal, with what the person can do instead. */
function listDenied(e: DocSpaceError, hint = WHAT_WORKS): DocSpaceError {
  return new DocSpaceError('forbidden', `${LIST_DENIED} ${hint}`, {
    status: e.status,
    request: e.request,
    cause: e,
  });
}

/**
 * For people who may not list the portal: the members of the rooms they are in, whose names or
 * emails contain `name` (room member lists are open to members). Deduplicated by user id.
 */
async function roomMembersNamed(name: string, ctx: ToolContext): Promise<Person[]> {
  const rooms = await ctx.client.folders.rooms({ count: 100, fields: ['folders.id'] }, ctx.signal);
  const pages = await Promise.all(
    rooms.folders.map((r) =>
      ctx.client.rooms
        .security(r.id, { filterType: 0, search: name, count: 100 }, ctx.signal)
        .catch((e: unknown) => {
          // One room we cannot read leaves a gap; a cancelled call stops here.
          if (e instanceof DocSpaceError && e.code === 'aborted') throw e;
          return undefined;
        }),
    ),
  );
  const needle = name.toLowerCase();
  const byId = new Map<string, Person>();
  for (const share of pages.flatMap((p) => p?.items ?? [])) {
    const u = share.sharedToUser;
    if (!u?.id || byId.has(u.id)) continue;
    const hay = `${u.displayName ?? ''} ${u.firstName ?? ''} ${u.lastName ?? ''} ${u.email ?? ''}`;
    if (hay.toLowerCase().includes(needle)) byId.set(u.id, projectPerson(u));
  }
  return [...byId.values()].slice(0, 25);
}

export const peopleTools = [
  defineTool({
    name: 'get_all_people',
    toolset: 'people',
    title: 'List people',
    description: 'Lists the portal’s people with email, role and status.',
    input: z.object({
      search: z.string().optional().describe('Text in name or email'),
      filterSeparator: z.string().optional().describe('Splits search into alternatives'),
      sortBy: z.enum(keysOf(SORT_PEOPLE)).optional(),
      sortOrder: sortOrderArg,
      ...pagingArgs,
      fields: fieldsArg,
    }),
    output: listOutput(entryOut),
    hints: READ,
    async handler(a, ctx) {
      const page = await ctx.client.people
        .list(
          {
            search: a.search,
            filterSeparator: a.filterSeparator,
            sortBy: a.sortBy && SORT_PEOPLE[a.sortBy],
            sortOrder: a.sortOrder,
            startIndex: a.startIndex,
            count: a.count,
            fields: fieldsFor(PERSON_FIELDS, a.fields),
          },
          ctx.signal,
        )
        .catch((e: unknown) => {
          throw isForbidden(e) ? listDenied(e as DocSpaceError) : e;
        });
      const items = page.items.map((p) => projectPerson(p, a.fields));
      const paging = pageText(items.length, a.startIndex, page.total, 'get_all_people');
      return {
        data: { items, total: page.total, ...nextPage(paging.next) },
        text: [paging.text, ...items.map(entryLine)].join('\n'),
      };
    },
  }),
  defineTool({
    name: 'get_current_user',
    toolset: 'people',
    title: 'Who am I',
    description: 'Returns the signed-in person: id, name, email and role.',
    input: z.object({ fields: fieldsArg }),
    output: personOut,
    hints: READ,
    async handler(a, ctx) {
      const me = await ctx.client.people.self({
        fields: fieldsFor(PERSON_FIELDS, a.fields),
        signal: ctx.signal,
      });
      const data = projectPerson(me, a.fields);
      return { data, text: `Signed in as ${entryLine(data).slice(2)}` };
    },
  }),
  defineTool({
    name: 'find_person',
    toolset: 'people',
    title: 'Find a person',
    description: 'Finds people by exact email or part of the name.',
    input: z.object({
      email: z.string().email().optional().describe('Exact email'),
      name: z.string().min(1).optional().describe('Part of the name'),
    }),
    output: z.object({ people: z.array(personOut), note: z.string().optional() }),
    hints: READ,
    async handler(a, ctx) {
      if (!a.email && !a.name) throw new ToolInputError('no_query', 'Give `email` or `name`.');
      let people: Person[];
      let note: string | undefined;
      if (a.email) {
        try {
          people = [
            projectPerson(
              await ctx.client.people.byEmail(a.email, { fields: PERSON_FIELDS, signal: ctx.signal }),
            ),
          ];
        } catch (e) {
          if (!(e instanceof DocSpaceError && e.code === 'not_found')) throw e;
          people = [];
        }
      } else {
        const name = a.name as string;
        try {
          const page = await ctx.client.people.list(
            { search: name, count: 25, fields: PERSON_FIELDS },
            ctx.signal,
          );
          people = page.items.map((p) => projectPerson(p));
        } catch (e) {
          if (!isForbidden(e)) throw e;
          people = await roomMembersNamed(name, ctx).catch((inner: unknown) => {
            throw isForbidden(inner) ? listDenied(e as DocSpaceError, BY_EMAIL) : inner;
          });
          note = ROOMS_ONLY;
        }
      }
      const what = a.email ? `email ${a.email}` : `name "${a.name}"`;
      const text = [
        people.length === 0 ? `Nobody found with ${what}.` : `Found ${people.length} for ${what}:`,
        ...(note ? [note] : []),
        ...people.map(entryLine),
      ].join('\n');
      return { data: { people, ...(note ? { note } : {}) }, text };
    },
  }),
];

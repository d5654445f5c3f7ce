import { z } from 'zod';
import { DocSpaceError } from '../docspace/errors.js';
import { entityOut, fieldsArg, listOutput, pagingArgs } from './schema.js';
import { type Entity, entryLine, pageText, projectPerson } from './shape.js';
import { defineTool, READ, ToolInputError } from './types.js';

type Person = Entity;

export const peopleTools = [
  defineTool({
    name: 'get_all_people',
    toolset: 'people',
    title: 'List people',
    description:
      'Lists people in the portal with email, role and status, optionally filtered by name or email text.',
    input: z.object({
      search: z.string().optional().describe('Text in name or email'),
      ...pagingArgs,
      fields: fieldsArg,
    }),
    output: listOutput(entityOut),
    hints: READ,
    async handler(a, ctx) {
      const page = await ctx.client.people.list(
        { search: a.search, startIndex: a.startIndex, count: a.count },
        ctx.signal,
      );
      const items = page.items.map((p) => projectPerson(p, a.fields));
      const paging = pageText(items.length, a.startIndex, page.total, 'get_all_people');
      return {
        data: { items, total: page.total, nextStartIndex: paging.next },
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
    output: entityOut,
    hints: READ,
    async handler(a, ctx) {
      const me = await ctx.client.people.self({ signal: ctx.signal });
      const data = projectPerson(me, a.fields);
      return { data, text: `Signed in as ${entryLine(data).slice(2)}` };
    },
  }),
  defineTool({
    name: 'find_person',
    toolset: 'people',
    title: 'Find a person',
    description: 'Finds people by exact email or by part of their name; use the id for set_room_security.',
    input: z.object({
      email: z.string().email().optional().describe('Exact email'),
      name: z.string().min(1).optional().describe('Part of the name'),
    }),
    output: z.object({ people: z.array(entityOut) }),
    hints: READ,
    async handler(a, ctx) {
      if (!a.email && !a.name) throw new ToolInputError('no_query', 'Give `email` or `name`.');
      let people: Person[];
      if (a.email) {
        try {
          people = [projectPerson(await ctx.client.people.byEmail(a.email, { signal: ctx.signal }))];
        } catch (e) {
          if (!(e instanceof DocSpaceError && e.code === 'not_found')) throw e;
          people = [];
        }
      } else {
        const page = await ctx.client.people.list({ search: a.name, count: 25 }, ctx.signal);
        people = page.items.map((p) => projectPerson(p));
      }
      const what = a.email ? `email ${a.email}` : `name "${a.name}"`;
      const text =
        people.length === 0
          ? `Nobody found with ${what}.`
          : [`Found ${people.length} for ${what}:`, ...people.map(entryLine)].join('\n');
      return { data: { people }, text };
    },
  }),
];

/**
 * Listing filters as the tools name them, with the DocSpace values they stand for. One table per
 * argument, read both ways: by the tools (name → DocSpace) and by `compat.ts` (the reference
 * server's DocSpace-valued `filters` → name).
 */

/** `show` of folder listings: FilterType (docspace-openapi FilterType) or ApplyFilterOption. */
export const SHOW = {
  all: {},
  files: { filterType: 1 },
  folders: { filterType: 2 },
  documents: { filterType: 3 },
  presentations: { filterType: 4 },
  spreadsheets: { filterType: 5 },
  images: { filterType: 7 },
  archives: { filterType: 10 },
  media: { filterType: 12 },
  pdf: { filterType: 22 },
  forms: { filterType: 23 },
} as const satisfies Record<string, { filterType?: number }>;
export type ShowName = keyof typeof SHOW;
export const SHOW_NAMES = Object.keys(SHOW) as [ShowName, ...ShowName[]];

/** SortedByType names for files and folders. */
export const SORT_ENTRIES = {
  updated: 'DateAndTime',
  created: 'DateAndTimeCreation',
  title: 'AZ',
  size: 'Size',
  author: 'Author',
  type: 'Type',
} as const;
export const SORT_ROOMS = {
  updated: 'DateAndTime',
  title: 'AZ',
  author: 'Author',
  roomType: 'RoomType',
  tags: 'Tags',
} as const;
/** `people/filter` sortBy values. */
export const SORT_PEOPLE = {
  name: 'displayname',
  firstName: 'firstname',
  lastName: 'lastname',
  email: 'email',
} as const;

/** SearchArea of the Rooms section. */
export const SEARCH_AREA = { active: 0, archive: 1, any: 2, recentByLinks: 3, templates: 4 } as const;
export type SearchAreaName = keyof typeof SEARCH_AREA;

/** ShareFilterType of a room's member list; `all` sends none. */
export const MEMBER_FILTER = {
  all: undefined,
  users: 16,
  groups: 32,
  links: 2,
  invitationLinks: 1,
  primaryLinks: 8,
  additionalLinks: 4,
} as const;

export const keysOf = <T extends object>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

import { MEMBER_FILTER, SEARCH_AREA, SHOW, SORT_ENTRIES, SORT_PEOPLE, SORT_ROOMS } from './filters.js';
import { ACCESS_IDS, ROOM_TYPE_IDS } from './shape.js';
import { ToolInputError } from './types.js';

/**
 * Arguments shaped as the reference server (ONLYOFFICE's docspace-mcp) takes them, turned into
 * ours, so prompts and saved workflows written for it keep working and are never silently
 * weakened: its `filters` object (DocSpace query names and values) on the tools that have it, and
 * DocSpace's numbers for `roomType` and invitation `access`. What cannot be mapped is refused
 * with a message naming it; anything else unknown is refused by the tool's strict schema.
 */

type Args = Record<string, unknown>;

const fail = (message: string) => new ToolInputError('invalid_arguments', message);

/** name ← DocSpace value, case-insensitive for strings. */
function reverse(table: Record<string, string | number | undefined>, value: unknown): string | undefined {
  const v = typeof value === 'string' ? value.toLowerCase() : value;
  for (const [name, raw] of Object.entries(table)) {
    if (raw === undefined) continue;
    if (raw === v || (typeof raw === 'string' && raw.toLowerCase() === v) || String(raw) === v) return name;
  }
  return undefined;
}

/** FilterType numbers (or names) that select entries by kind, as our `show` names them. */
const FILTER_TYPE_NAMES: Record<string, number> = {
  None: 0,
  FilesOnly: 1,
  FoldersOnly: 2,
  DocumentsOnly: 3,
  PresentationsOnly: 4,
  SpreadsheetsOnly: 5,
  ImagesOnly: 7,
  ByUser: 8,
  ArchiveOnly: 10,
  ByExtension: 11,
  MediaOnly: 12,
  FillingFormsRooms: 13,
  EditingRooms: 14,
  CustomRooms: 17,
  PublicRooms: 20,
  Pdf: 22,
  PdfForm: 23,
  VirtualDataRooms: 24,
};
const ROOM_FILTER_TYPES: Record<number, number> = { 13: 1, 14: 2, 17: 5, 20: 6, 24: 8 };

function filterTypeNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  const n = typeof v === 'string' ? FILTER_TYPE_NAMES[v] : undefined;
  if (n === undefined)
    throw fail(`\`filters.filterType\` ${JSON.stringify(v)} is not a DocSpace FilterType.`);
  return n;
}

function sortOrder(v: unknown): string {
  if (v === 0 || v === '0' || String(v).toLowerCase() === 'ascending') return 'ascending';
  if (v === 1 || v === '1' || String(v).toLowerCase() === 'descending') return 'descending';
  throw fail('`filters.sortOrder` must be 0 (ascending) or 1 (descending).');
}

function sortBy(table: Record<string, string>, v: unknown): string {
  const name = reverse(table, v);
  if (!name) {
    throw fail(
      `\`filters.sortBy\` ${JSON.stringify(v)} is not supported here; use one of ${Object.values(table).join(', ')}.`,
    );
  }
  return name;
}

function roomTypeName(v: unknown): unknown {
  const name = reverse(ROOM_TYPE_IDS, v);
  return name ?? v;
}

/** The reference's `fields` name DTO fields, nested ones dotted; ours are entry fields. */
function fields(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = new Set<string>();
  for (const f of v) {
    const name = String(f).replace(/^(files|folders|response)\./, '');
    // Paging and the section itself are always returned; nested names beyond one level are not ours.
    if (name.includes('.') || ['current', 'pathParts', 'total', 'count', 'startIndex', 'new'].includes(name))
      continue;
    out.add(name);
  }
  return out.size > 0 ? [...out] : undefined;
}

type Mapper = (filters: Args, out: Args) => void;

const common = (key: string, value: unknown, out: Args): boolean => {
  switch (key) {
    case 'fields': {
      const f = fields(value);
      if (f) out.fields = f;
      return true;
    }
    case 'count':
    case 'startIndex':
      out[key] = typeof value === 'string' ? Number(value) : value;
      return true;
    case 'filterValue':
      if (value !== '' && value !== undefined) out.search = value;
      return true;
    case 'sortOrder':
      out.sortOrder = sortOrder(value);
      return true;
    default:
      return false;
  }
};

function unknownFilter(key: string, known: string[]): never {
  throw fail(`Unknown argument \`filters.${key}\`. Accepted in filters: ${known.join(', ')}.`);
}

const folderFilters: Mapper = (f, out) => {
  const known = [
    'fields',
    'count',
    'startIndex',
    'filterValue',
    'sortOrder',
    'sortBy',
    'filterType',
    'applyFilterOption',
    'extension',
    'userIdOrGroupId',
    'excludeSubject',
  ];
  for (const [key, value] of Object.entries(f)) {
    if (value === undefined || value === null) continue;
    if (common(key, value, out)) continue;
    switch (key) {
      case 'sortBy':
        out.sortBy = sortBy(SORT_ENTRIES, value);
        break;
      case 'filterType': {
        const n = filterTypeNumber(value);
        if (n === 0 || n === 8) break; // None; ByUser works through userIdOrGroupId
        if (n === 11) break; // ByExtension: handled below with filterValue
        const name = reverse(
          Object.fromEntries(
            Object.entries(SHOW).map(([k, v]) => [k, 'filterType' in v ? v.filterType : -1]),
          ),
          n,
        );
        if (!name) throw fail(`\`filters.filterType\` ${n} does not apply to folder contents.`);
        out.show = name;
        break;
      }
      case 'applyFilterOption': {
        const v = String(value).toLowerCase();
        if (out.show !== undefined) break;
        if (v === 'files' || v === '1') out.show = 'files';
        else if (v === 'folders' || v === '2') out.show = 'folders';
        break;
      }
      case 'extension':
        out.extension = value;
        break;
      case 'userIdOrGroupId':
        out.authorId = value;
        break;
      case 'excludeSubject':
        out.excludeAuthor = value === true || value === 'true';
        break;
      default:
        unknownFilter(key, known);
    }
  }
  // DocSpace's FilterType 11 (ByExtension) matches filterValue as the title's ending.
  if (
    f.filterType !== undefined &&
    filterTypeNumber(f.filterType) === 11 &&
    typeof f.filterValue === 'string'
  ) {
    out.extension = f.filterValue;
    delete out.search;
  }
};

const roomsFilters: Mapper = (f, out) => {
  const known = [
    'fields',
    'count',
    'startIndex',
    'filterValue',
    'sortOrder',
    'sortBy',
    'type',
    'filterType',
    'searchArea',
    'subjectId',
    'tags',
    'withoutTags',
    'excludeSubject',
  ];
  for (const [key, value] of Object.entries(f)) {
    if (value === undefined || value === null) continue;
    if (common(key, value, out)) continue;
    switch (key) {
      case 'sortBy':
        out.sortBy = sortBy(SORT_ROOMS, value);
        break;
      case 'type':
        out.roomType = (Array.isArray(value) ? value : [value]).map(roomTypeName);
        break;
      case 'filterType': {
        const n = filterTypeNumber(value);
        if (n === 0) break;
        const room = ROOM_FILTER_TYPES[n];
        if (room === undefined) throw fail(`\`filters.filterType\` ${n} does not apply to rooms.`);
        out.roomType = [...((out.roomType as unknown[]) ?? []), roomTypeName(room)];
        break;
      }
      case 'searchArea': {
        const key = String(value).toLowerCase();
        const name =
          Object.keys(SEARCH_AREA).find((k) => k.toLowerCase() === key || k.toLowerCase() === `${key}s`) ??
          reverse(SEARCH_AREA, value);
        if (!name)
          throw fail(`\`filters.searchArea\` ${JSON.stringify(value)} is not a DocSpace SearchArea.`);
        out.searchArea = name;
        break;
      }
      case 'subjectId':
        out.subjectId = value;
        break;
      case 'tags': {
        let tags: unknown = value;
        if (typeof value === 'string') {
          try {
            tags = JSON.parse(value);
          } catch {
            tags = value.split(',').map((t) => t.trim());
          }
        }
        out.tags = (Array.isArray(tags) ? tags : [tags]).map(String).filter((t) => t !== '');
        break;
      }
      case 'withoutTags':
        out.withoutTags = value === true || value === 'true';
        break;
      case 'excludeSubject':
        if (value === true || value === 'true')
          throw fail('`filters.excludeSubject` is not supported for rooms.');
        break;
      default:
        unknownFilter(key, known);
    }
  }
};

const memberFilters: Mapper = (f, out) => {
  for (const [key, value] of Object.entries(f)) {
    if (value === undefined || value === null) continue;
    if (key === 'fields') continue; // members are projected; no extra fields
    if (common(key, value, out)) continue;
    if (key === 'filterType') {
      const n = Number(value);
      const name = n === 0 ? 'all' : reverse(MEMBER_FILTER, n);
      if (!name)
        throw fail(`\`filters.filterType\` ${JSON.stringify(value)} is not a DocSpace ShareFilterType.`);
      out.show = name;
      continue;
    }
    unknownFilter(key, ['fields', 'count', 'startIndex', 'filterValue', 'filterType']);
  }
};

const peopleFilters: Mapper = (f, out) => {
  for (const [key, value] of Object.entries(f)) {
    if (value === undefined || value === null) continue;
    if (common(key, value, out)) continue;
    if (key === 'sortBy') out.sortBy = sortBy(SORT_PEOPLE, value);
    else if (key === 'filterSeparator') out.filterSeparator = value;
    else
      unknownFilter(key, [
        'fields',
        'count',
        'startIndex',
        'filterValue',
        'filterSeparator',
        'sortBy',
        'sortOrder',
      ]);
  }
};

/** Tools whose reference counterpart takes only `fields` in `filters`. */
const fieldsOnly: Mapper = (f, out) => {
  for (const [key, value] of Object.entries(f)) {
    if (key !== 'fields') unknownFilter(key, ['fields']);
    const list = fields(value);
    if (list) out.fields = list;
  }
};
/** Reference tools whose `filters.fields` trims an answer we already project compactly. */
const ignoredFields: Mapper = (f) => {
  for (const key of Object.keys(f)) if (key !== 'fields') unknownFilter(key, ['fields']);
};

const FILTERS: Record<string, Mapper> = {
  get_folder_content: folderFilters,
  get_my_folder: folderFilters,
  get_rooms_folder: roomsFilters,
  get_room_security_info: memberFilters,
  get_all_people: peopleFilters,
  get_file_info: fieldsOnly,
  get_folder_info: fieldsOnly,
  get_room_info: fieldsOnly,
  create_folder: ignoredFields,
  rename_folder: ignoredFields,
  create_room: ignoredFields,
  update_room: ignoredFields,
  set_room_security: ignoredFields,
  get_current_user: fieldsOnly,
};

/** Reference-shaped arguments → ours; anything else is returned as it came. */
export function fromReference(tool: string, raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  let args = raw as Args;
  const mapper = FILTERS[tool];
  if (mapper && 'filters' in args) {
    const { filters, ...rest } = args;
    if (filters !== undefined && filters !== null) {
      if (typeof filters !== 'object' || Array.isArray(filters)) throw fail('`filters` must be an object.');
      const mapped: Args = {};
      mapper(filters as Args, mapped);
      // Top-level arguments win over the same setting in `filters`.
      args = { ...mapped, ...rest };
    } else args = rest;
  }
  if (tool === 'create_room' && typeof args.roomType === 'number') {
    args = { ...args, roomType: roomTypeName(args.roomType) };
  }
  if (tool === 'get_rooms_folder') {
    if (args.roomType !== undefined && !Array.isArray(args.roomType))
      args = { ...args, roomType: [args.roomType] };
    if (Array.isArray(args.roomType)) args = { ...args, roomType: args.roomType.map(roomTypeName) };
    // Our earlier shape: `archived: true` lists the Archive.
    if (typeof args.archived === 'boolean') {
      const { archived, ...rest } = args;
      args = { searchArea: archived ? 'archive' : 'active', ...rest };
    }
  }
  if (tool === 'set_room_security' && Array.isArray(args.invitations)) {
    args = {
      ...args,
      invitations: args.invitations.map((i: unknown) => {
        if (!i || typeof i !== 'object') return i;
        const inv = i as Args;
        return typeof inv.access === 'number'
          ? { ...inv, access: reverse(ACCESS_IDS, inv.access) ?? inv.access }
          : inv;
      }),
    };
  }
  if ((tool === 'copy_batch_items' || tool === 'move_batch_items') && args.destFolderId === undefined) {
    // The reference lets destFolderId be left out; DocSpace then refuses. Say it here.
    throw fail('Give `destFolderId`: the folder or room to put the items in.');
  }
  return args;
}

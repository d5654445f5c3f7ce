// Folder content listings (FolderContentDto): filters, search, sort, paging (reference/docspace-api.md §3.3).

import { type Ctx, caller, dto, world } from '../http/env.js';
import { ok } from '../http/envelope.js';
import { qBool, qEnum } from '../http/input.js';
import { accessOf, assertRead, canRead } from '../portal/access.js';
import { extOf, fileTypeOf } from '../portal/dto.js';
import { ValidationError } from '../portal/errors.js';
import type { Portal } from '../portal/state.js';
import type { Entry, File, Folder, User } from '../portal/types.js';
import { pageParams } from './paging.js';

const sortNames = [
  'dateandtime',
  'az',
  'size',
  'author',
  'type',
  'new',
  'dateandtimecreation',
  'roomtype',
  'tags',
  'room',
  'customorder',
  'lastopened',
  'usedspace',
];

const roomTypeNames: Record<string, number> = {
  fillingformsroom: 1,
  editingroom: 2,
  customroom: 5,
  publicroom: 6,
  virtualdataroom: 8,
};

/** FilterType members (reference/docspace-api.md §3.1). */
const filterTypeNames: Record<string, number> = {
  None: 0,
  FilesOnly: 1,
  FoldersOnly: 2,
  DocumentsOnly: 3,
  PresentationsOnly: 4,
  SpreadsheetsOnly: 5,
  ImagesOnly: 7,
  ByUser: 8,
  ByDepartment: 9,
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

/** FilterType values that select rooms by their type. */
const roomFilters: Record<number, number> = { 13: 1, 14: 2, 17: 5, 20: 6, 24: 8 };
/** FilterType values that select files by FileType. */
const fileFilters: Record<number, number[]> = {
  3: [7],
  4: [6],
  5: [5],
  7: [4],
  10: [1],
  12: [2, 3],
  22: [10],
  23: [10],
};

function sortKey(c: Ctx): string {
  const raw = c.req.query('sortBy');
  if (!raw) return 'dateandtime';
  if (/^\d+$/.test(raw)) return sortNames[Number(raw)] ?? 'dateandtime';
  const k = raw.toLowerCase();
  return sortNames.includes(k) ? k : 'dateandtime';
}

function descending(c: Ctx): boolean {
  const raw = c.req.query('sortOrder')?.toLowerCase();
  if (raw === undefined || raw === '') return !c.req.query('sortBy');
  if (raw === '1' || raw === 'descending') return true;
  if (raw === '0' || raw === 'ascending') return false;
  throw new ValidationError({ sortOrder: [`The value '${raw}' is not valid for SortOrder.`] });
}

function sizeOf(portal: Portal, e: Entry): number {
  if (e.kind === 'file') return e.versions[e.versions.length - 1]?.bytes.length ?? 0;
  return portal.childFiles(e.id).reduce((n, f) => n + sizeOf(portal, f), 0);
}

function comparator(portal: Portal, key: string): (a: Entry, b: Entry) => number {
  const name = (u: string) => {
    const x = portal.users.get(u);
    return x ? `${x.firstName} ${x.lastName}` : '';
  };
  switch (key) {
    case 'az':
      return (a, b) => a.title.localeCompare(b.title, 'en', { numeric: true });
    case 'size':
    case 'usedspace':
      return (a, b) => sizeOf(portal, a) - sizeOf(portal, b);
    case 'author':
      return (a, b) => name(a.createdBy).localeCompare(name(b.createdBy));
    case 'type':
      return (a, b) => extOf(a.title).localeCompare(extOf(b.title));
    case 'roomtype':
      return (a, b) => ((a as Folder).roomType ?? 0) - ((b as Folder).roomType ?? 0);
    case 'dateandtimecreation':
      return (a, b) => a.created.getTime() - b.created.getTime();
    case 'customorder':
      return (a, b) => a.id - b.id;
    default:
      return (a, b) => a.updated.getTime() - b.updated.getTime() || a.id - b.id;
  }
}

function descendants(portal: Portal, folderId: number): { folders: Folder[]; files: File[] } {
  const folders: Folder[] = [];
  const files: File[] = [];
  const walk = (id: number) => {
    files.push(...portal.childFiles(id));
    for (const d of portal.childFolders(id)) {
      folders.push(d);
      walk(d.id);
    }
  };
  walk(folderId);
  return { folders, files };
}

function applyOption(c: Ctx): 0 | 1 | 2 {
  const raw = c.req.query('applyFilterOption')?.toLowerCase();
  if (!raw) return 0;
  if (raw === '1' || raw === 'files') return 1;
  if (raw === '2' || raw === 'folders') return 2;
  return 0;
}

/** Rooms the caller may see in a section (Rooms root or Archive). */
function visibleRooms(portal: Portal, user: User, sectionId: number): Folder[] {
  return portal.childFolders(sectionId).filter((r) => canRead(accessOf(portal, user, r)));
}

/** SearchArea of `GET files/rooms`: 0 Active, 1 Archive, 2 Any, 3 RecentByLinks, 4 Templates. */
export function searchArea(c: Ctx): number {
  const area = c.req.query('searchArea')?.toLowerCase() ?? '';
  const names: Record<string, number> = { active: 0, archive: 1, any: 2, recentbylinks: 3, templates: 4 };
  return /^\d+$/.test(area) ? Number(area) : (names[area] ?? 0);
}

function roomSections(c: Ctx, portal: Portal, current: Folder): number[] {
  if (current.id === portal.archiveId) return [portal.archiveId];
  switch (searchArea(c)) {
    case 1:
      return [portal.archiveId];
    case 2:
      return [portal.roomsRootId, portal.archiveId];
    // Rooms visited through external links, and room templates: the emulator keeps neither.
    case 3:
    case 4:
      return [];
    default:
      return [portal.roomsRootId];
  }
}

export function pathParts(portal: Portal, folderId: number) {
  return portal.path(folderId).map((f) => ({
    id: f.id,
    title: f.title,
    ...(f.roomType ? { roomType: f.roomType } : {}),
    folderType: f.folderType,
  }));
}

export function folderContent(c: Ctx, current: Folder) {
  const p = world(c).portal;
  const me = caller(c);
  assertRead(p, me, current);
  const text = c.req.query('filterValue')?.trim().toLowerCase() ?? '';
  const filterType = qEnum(c, 'filterType', filterTypeNames) ?? 0;
  const isSection = current.id === p.roomsRootId || current.id === p.archiveId;
  let folders: Folder[];
  let files: File[];
  if (isSection) {
    folders = roomSections(c, p, current).flatMap((s) => visibleRooms(p, me, s));
    files = [];
    const types = (c.req.queries('type') ?? [])
      .map((t) => (/^\d+$/.test(t) ? Number(t) : roomTypeNames[t.toLowerCase()]))
      .filter((t): t is number => t !== undefined);
    if (roomFilters[filterType]) types.push(roomFilters[filterType] as number);
    if (types.length) folders = folders.filter((r) => r.roomType !== undefined && types.includes(r.roomType));
    const subject = c.req.query('subjectId');
    if (subject) folders = folders.filter((r) => r.members.has(subject));
    const tags = c.req.query('tags');
    if (tags) {
      let wanted: string[] = [];
      try {
        const v: unknown = JSON.parse(tags);
        wanted = Array.isArray(v) ? v.map(String) : [String(v)];
      } catch {
        wanted = [tags];
      }
      folders = folders.filter((r) => r.tags.some((t) => wanted.includes(t)));
    }
    if (qBool(c, 'withoutTags')) folders = folders.filter((r) => r.tags.length === 0);
  } else if (text && qBool(c, 'withSubFolders') !== false) {
    ({ folders, files } = descendants(p, current.id));
  } else {
    folders = p.childFolders(current.id);
    files = p.childFiles(current.id);
  }
  if (text) {
    folders = folders.filter((f) => f.title.toLowerCase().includes(text));
    files = files.filter((f) => f.title.toLowerCase().includes(text));
  }
  if (filterType === 1) folders = [];
  if (filterType === 2) files = [];
  const byType = fileFilters[filterType];
  if (byType) {
    folders = [];
    files = files.filter((f) => byType.includes(fileTypeOf(extOf(f.title))));
  }
  // FileDao.GetFilesQueryWithFilters: `extension` keeps titles ending in it whatever the filter
  // type; FilterType 11 (ByExtension) matches `filterValue` as the title's ending instead.
  const endsWith = (list: string[]) => (e: Entry) => list.some((x) => e.title.toLowerCase().endsWith(x));
  const extensions = (c.req.queries('extension') ?? [])
    .flatMap((x) => x.split(','))
    .map((x) => x.trim().toLowerCase())
    .filter((x) => x !== '');
  if (extensions.length > 0) {
    folders = folders.filter(endsWith(extensions));
    files = files.filter(endsWith(extensions));
  }
  if (filterType === 11) {
    folders = [];
    if (text) files = files.filter(endsWith([text]));
  }
  // FileDao.GetFilesQueryWithFilters: the author filter, or everyone but them with excludeSubject.
  const who = c.req.query('userIdOrGroupId');
  if (who && (filterType === 8 || filterType === 9 || !isSection)) {
    const keep = qBool(c, 'excludeSubject')
      ? (e: Entry) => e.createdBy !== who
      : (e: Entry) => e.createdBy === who;
    folders = folders.filter(keep);
    files = files.filter(keep);
  }
  const option = applyOption(c);
  if (option === 1) folders = [];
  if (option === 2) files = [];

  const cmp = comparator(p, sortKey(c));
  const sign = descending(c) ? -1 : 1;
  folders.sort((a, b) => sign * cmp(a, b) || (a.pinned === b.pinned ? 0 : a.pinned ? -1 : 1));
  files.sort((a, b) => sign * cmp(a, b));

  const { startIndex, count } = pageParams(c);
  const all: Entry[] = [...folders, ...files];
  const page = all.slice(startIndex, startIndex + count);
  const d = dto(c);
  return ok(c, {
    files: page.filter((e): e is File => e.kind === 'file').map((f) => d.file(f)),
    folders: page.filter((e): e is Folder => e.kind === 'folder').map((f) => d.folder(f)),
    current: d.folder(current),
    pathParts: pathParts(p, current.id),
    startIndex,
    count: page.length,
    total: all.length,
    new: 0,
  });
}

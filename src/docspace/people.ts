import { fieldsParam, type ReadOptions, type SortOrder } from './params.js';
import type { Transport } from './transport.js';
import type { EmployeeFullDto, Page } from './types.js';

export interface PeopleQuery {
  /** Text in name or email (DocSpace `filterValue`). */
  search?: string;
  /** Splits `search` into alternatives (a person matches any); without it, words must all match. */
  filterSeparator?: string;
  startIndex?: number;
  /** 1–100. */
  count?: number;
  /** "firstname", "lastname", "displayname", "email", "type", "department", … */
  sortBy?: string;
  sortOrder?: SortOrder;
  /** EmployeeType: 1 RoomAdmin, 2 Guest, 3 DocSpaceAdmin, 4 User. */
  employeeType?: number;
  /** EmployeeStatus: 1 Active, 2 Terminated, 4 Pending. */
  employeeStatus?: number;
  /** EmployeeActivationStatus: 0 NotActivated, 1 Activated, 2 Pending. */
  activationStatus?: number;
  groupId?: string;
  fields?: readonly string[];
}

/** People of the portal. Users of type User or Guest may only read themselves and room members. */
export class PeopleApi {
  constructor(private readonly t: Transport) {}

  /** The signed-in user. */
  self(opts: ReadOptions = {}): Promise<EmployeeFullDto> {
    return this.t.request('GET', 'people/@self', {
      query: { fields: fieldsParam(opts.fields) },
      signal: opts.signal,
      subject: 'your profile',
    });
  }

  /** People matching the filter (all statuses unless told), with the total count. */
  async list(query: PeopleQuery = {}, signal?: AbortSignal): Promise<Page<EmployeeFullDto>> {
    const r = await this.t.requestResult<EmployeeFullDto[]>('GET', 'people/filter', {
      query: {
        filterValue: query.search,
        filterSeparator: query.filterSeparator,
        startIndex: query.startIndex,
        count: query.count,
        sortBy: query.sortBy,
        sortOrder: query.sortOrder === undefined ? undefined : query.sortOrder === 'descending' ? 1 : 0,
        employeeType: query.employeeType,
        employeeStatus: query.employeeStatus,
        activationStatus: query.activationStatus,
        groupId: query.groupId,
        fields: fieldsParam(query.fields),
      },
      signal,
      subject: 'the people list',
    });
    const items = Array.isArray(r.response) ? r.response : [];
    return { items, total: r.total ?? items.length };
  }

  get(userId: string, opts: ReadOptions = {}): Promise<EmployeeFullDto> {
    return this.t.request('GET', `people/${encodeURIComponent(userId)}`, {
      query: { fields: fieldsParam(opts.fields) },
      signal: opts.signal,
      subject: `user ${userId}`,
    });
  }

  byEmail(email: string, opts: ReadOptions = {}): Promise<EmployeeFullDto> {
    return this.t.request('GET', 'people/email', {
      query: { email, fields: fieldsParam(opts.fields) },
      signal: opts.signal,
      subject: `the user with email ${email}`,
    });
  }
}

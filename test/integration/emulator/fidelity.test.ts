// The emulator answers as DocSpace does, for the behaviours issue 18 found apart. Each test names
// the DocSpace-server source (github.com/ONLYOFFICE/DocSpace-server) or format list it follows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FolderContent, Harness, roomId } from './harness.js';

type Share = { access: number; sharedToUser?: { id: string; email: string } };
const titles = (r: { body: { response: FolderContent } }) =>
  [...r.body.response.folders, ...r.body.response.files].map((e) => e.title).sort();

describe('emulator fidelity (DocSpace source as the oracle)', () => {
  let h: Harness;
  let projects: number;
  before(async () => {
    h = await Harness.start();
    projects = await roomId(h, 'Projects');
  });
  after(() => h.close());

  it('`extension` keeps titles ending in it whatever the filterType (FileDao.GetFilesQueryWithFilters)', async () => {
    const plain = await h.get<FolderContent>(`files/${projects}?extension=.xlsx`, 'owner');
    assert.deepEqual(titles(plain), ['Budget.xlsx']);
    const filesOnly = await h.get<FolderContent>(`files/${projects}?extension=pptx&filterType=1`, 'owner');
    assert.deepEqual(titles(filesOnly), ['Kickoff.pptx']);
  });

  it('userIdOrGroupId with excludeSubject keeps everyone else’s entries (FileDao.GetFilesQueryWithFilters)', async () => {
    const owner = h.user('owner').id;
    const mine = await h.get<FolderContent>(`files/${projects}?userIdOrGroupId=${owner}`, 'owner');
    const others = await h.get<FolderContent>(
      `files/${projects}?userIdOrGroupId=${owner}&excludeSubject=true`,
      'owner',
    );
    assert.ok(titles(mine).length > 0);
    assert.deepEqual(titles(others), []);
  });

  it('filterType 11 (ByExtension) matches filterValue as the title’s ending (FileDao: SearchType.End)', async () => {
    const r = await h.get<FolderContent>(
      `files/${projects}?filterType=11&filterValue=.txt&withSubFolders=false`,
      'owner',
    );
    assert.deepEqual(titles(r), ['Risks.txt']);
  });

  it('rooms with searchArea=Archive list the Archive folder as current (VirtualRoomsController.GetRoomsFolder)', async () => {
    const r = await h.get<FolderContent>('files/rooms?searchArea=Archive', 'owner');
    assert.equal(r.body.response.current.title, 'Archive');
    assert.deepEqual(titles(r), ['Old project']);
    const any = await h.get<FolderContent>('files/rooms?searchArea=Any', 'owner');
    assert.equal(any.body.response.current.title, 'Rooms');
    assert.ok(titles(any).includes('Old project') && titles(any).includes('Projects'));
    // The emulator keeps no room templates and no rooms visited by link: both lists are empty.
    const templates = await h.get<FolderContent>('files/rooms?searchArea=Templates', 'owner');
    assert.deepEqual(titles(templates), []);
  });

  it('files/settings offers DocSpace’s text conversions (document-formats onlyoffice-docs-formats.json)', async () => {
    const r = await h.get<{ extsConvertible: Record<string, string[]> }>('files/settings', 'owner');
    const table = r.body.response.extsConvertible;
    for (const [from, to] of [
      ['.pdf', '.txt'],
      ['.pptx', '.txt'],
      ['.md', '.txt'],
      ['.rtf', '.txt'],
      ['.docx', '.txt'],
      ['.xlsx', '.csv'],
    ]) {
      assert.ok(table[from]?.includes(to as string), `${from} -> ${to}`);
    }
  });

  it('a role the room type does not allow is refused with DocSpace’s message (FileSharing.cs, ErrorMessage_RoleNotAvailable)', async () => {
    const pub = await roomId(h, 'Public docs');
    const user = h.user('user');
    const r = await h.call<unknown>('PUT', `files/rooms/${pub}/share`, {
      as: 'owner',
      json: { invitations: [{ id: user.id, access: 10 }] },
    });
    assert.equal(r.status, 403);
    assert.match(r.text, /The role is not available for this user type/);
  });

  it('an invitation without access binds FileShare 0 (None): it removes a member and adds nobody (RoomInvitation.Access)', async () => {
    const room = (
      await h.call<{ id: number }>('POST', 'files/rooms', {
        as: 'owner',
        json: { title: 'No access given', roomType: 5 },
      })
    ).body.response.id;
    const user = h.user('user');
    const added = await h.call<{ members: Share[] }>('PUT', `files/rooms/${room}/share`, {
      as: 'owner',
      json: { invitations: [{ id: user.id, access: 2 }] },
    });
    assert.equal(added.body.response.members[0]?.access, 2);
    const removed = await h.call<{ members: Share[] }>('PUT', `files/rooms/${room}/share`, {
      as: 'owner',
      json: { invitations: [{ id: user.id }] },
    });
    assert.equal(removed.status, 200, removed.text);
    const share = await h.get<Share[]>(`files/rooms/${room}/share`, 'owner');
    assert.ok(!share.body.response.some((s) => s.sharedToUser?.id === user.id), 'still a member');
    const guest = h.user('guest');
    const none = await h.call<{ members: Share[] }>('PUT', `files/rooms/${room}/share`, {
      as: 'owner',
      json: { invitations: [{ id: guest.id }] },
    });
    assert.deepEqual(none.body.response.members, []);
  });

  it('people/filter: words must all match, filterSeparator makes them alternatives (UserQueryHelper.FilterByText)', async () => {
    const both = await h.get<{ email: string }[]>('people/filter?filterValue=olivia%20uma', 'owner');
    assert.deepEqual(both.body.response, []);
    const either = await h.get<{ email: string }[]>(
      'people/filter?filterValue=olivia,uma&filterSeparator=,',
      'owner',
    );
    assert.deepEqual(either.body.response.map((p) => p.email).sort(), [
      'owner@example.com',
      'user@example.com',
    ]);
  });
});

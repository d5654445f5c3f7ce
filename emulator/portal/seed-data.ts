// The demo portal's people and documents: data only, read by seed.ts.
import type { OfficeContent } from '../office/index.js';
import type { Role } from './types.js';

export const people: { email: string; first: string; last: string; role: Role }[] = [
  { email: 'owner@example.com', first: 'Olivia', last: 'Owner', role: 'owner' },
  { email: 'admin@example.com', first: 'Adam', last: 'Admin', role: 'admin' },
  { email: 'roomadmin@example.com', first: 'Rita', last: 'Roomadmin', role: 'roomAdmin' },
  { email: 'user@example.com', first: 'Uma', last: 'User', role: 'user' },
  { email: 'guest@example.com', first: 'Gus', last: 'Guest', role: 'guest' },
];

export type Doc = [title: string, content: OfficeContent];

export const roomFiles: Record<string, Doc[]> = {
  Forms: [
    [
      'Leave request.pdf',
      { title: 'Leave request', paragraphs: ['Employee name:', 'Dates requested:', 'Manager approval:'] },
    ],
    [
      'Expense claim.xlsx',
      {
        title: 'Expense claim',
        rows: [
          ['Date', 'Item', 'Amount'],
          ['2026-01-02', 'Taxi', '24.50'],
        ],
      },
    ],
  ],
  'Team collaboration': [
    [
      'Meeting notes.docx',
      {
        title: 'Meeting notes',
        paragraphs: ['Weekly sync, 5 January 2026.', 'Decisions: ship the beta on Friday.'],
      },
    ],
    [
      'Roadmap.pptx',
      { title: 'Roadmap', slides: [['Roadmap 2026', 'Q1: beta'], ['Q2: general availability']] },
    ],
    [
      'Tasks.csv',
      {
        rows: [
          ['Task', 'Owner', 'Status'],
          ['Write docs', 'Uma', 'open'],
          ['Fix login', 'Rita', 'done'],
        ],
      },
    ],
    ['README.md', { title: 'Team space', paragraphs: ['Everything the team works on lives here.'] }],
  ],
  Projects: [
    [
      'Project plan.docx',
      {
        title: 'Project plan',
        paragraphs: ['Phase 1: discovery.', 'Phase 2: delivery.', 'Budget owner: Olivia Owner.'],
      },
    ],
    [
      'Budget.xlsx',
      {
        title: 'Budget',
        rows: [
          ['Quarter', 'Planned', 'Actual'],
          ['Q1', '12000', '11800'],
          ['Q2', '15000', ''],
        ],
      },
    ],
    [
      'Kickoff.pptx',
      {
        title: 'Kickoff',
        slides: [
          ['Project kickoff', 'Goals and team'],
          ['Timeline', 'Twelve weeks'],
        ],
      },
    ],
    ['Logo.png', { title: 'Logo' }],
    ['Risks.txt', { paragraphs: ['Risk register', 'Vendor delay: medium', 'Scope creep: high'] }],
  ],
  'Public docs': [
    [
      'Product sheet.pdf',
      {
        title: 'Product sheet',
        paragraphs: ['DocSpace emulator product sheet.', 'Rooms, files and people.'],
      },
    ],
    [
      'Price list.xlsx',
      {
        title: 'Price list',
        rows: [
          ['Plan', 'Price'],
          ['Startup', '0'],
          ['Business', '15'],
        ],
      },
    ],
    ['FAQ.md', { title: 'FAQ', paragraphs: ['How do I sign in? Use your email and password.'] }],
  ],
  'Due diligence': [
    [
      'Financial statements.xlsx',
      {
        title: 'Financial statements',
        rows: [
          ['Year', 'Revenue'],
          ['2024', '1200000'],
          ['2025', '1500000'],
        ],
      },
    ],
    [
      'Contract.docx',
      {
        title: 'Contract',
        paragraphs: ['This agreement is made between Alpha Ltd and Beta LLC.', 'Term: two years.'],
      },
    ],
    ['Audit report.pdf', { title: 'Audit report', paragraphs: ['The accounts give a true and fair view.'] }],
  ],
  'Old project': [
    ['Final report.docx', { title: 'Final report', paragraphs: ['The old project closed in 2025.'] }],
  ],
};

export const folderFiles: Record<string, Doc[]> = {
  Specs: [
    ['API spec.docx', { title: 'API spec', paragraphs: ['Endpoints: files, folders, rooms, people.'] }],
    [
      'Data model.xlsx',
      {
        title: 'Data model',
        rows: [
          ['Entity', 'Key'],
          ['Room', 'id'],
          ['File', 'id'],
        ],
      },
    ],
  ],
  Drafts: [
    ['Draft v1.docx', { title: 'Draft v1', paragraphs: ['First draft of the specification.'] }],
    ['Ideas.txt', { paragraphs: ['Idea: dark mode', 'Idea: offline sync'] }],
  ],
};

export const personalFiles: Record<string, Doc[]> = {
  'owner@example.com': [
    [
      'Welcome.docx',
      { title: 'Welcome', paragraphs: ['Welcome to your DocSpace.', 'This is your personal folder.'] },
    ],
    [
      'Personal budget.xlsx',
      {
        title: 'Personal budget',
        rows: [
          ['Month', 'Spent'],
          ['January', '900'],
        ],
      },
    ],
    ['Notes.txt', { paragraphs: ['Call the accountant on Monday.'] }],
  ],
  'admin@example.com': [
    ['Admin checklist.md', { title: 'Admin checklist', paragraphs: ['Review new users weekly.'] }],
  ],
  'roomadmin@example.com': [
    ['Room templates.docx', { title: 'Room templates', paragraphs: ['Template ideas for rooms.'] }],
  ],
  'user@example.com': [
    ['My notes.txt', { paragraphs: ['Buy milk', 'Finish the report'] }],
    ['Report.docx', { title: 'Report', paragraphs: ['Quarterly report draft.', 'Sales grew 12 percent.'] }],
    [
      'Contacts.csv',
      {
        rows: [
          ['Name', 'Email'],
          ['Olivia Owner', 'owner@example.com'],
        ],
      },
    ],
    ['Slides.pptx', { title: 'Slides', slides: [['My talk', 'Intro'], ['Thanks']] }],
  ],
};

import { AppError } from '../errors.js';
import type { z } from 'zod';
import type { DocSpaceClient } from '../docspace/index.js';

/** The toolsets, in the order `tools/list` shows them. Names match the reference server's. */
export const TOOLSETS = {
  files: 'Find, read, write, version and share files.',
  folders: 'Browse and organise folders, including My documents.',
  rooms: 'Create, manage and share rooms and their members.',
  people: 'Look up people in the portal.',
} as const;

export type ToolsetName = keyof typeof TOOLSETS;

/**
 * The MCP hints: clients decide about confirmation prompts from these. Every hint that means
 * something for the tool is set; see `wireHints` for the one left out of `tools/list`.
 */
export interface ToolHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What a handler may use besides its arguments. Built per call by the server factory. */
export interface ToolContext {
  /** DocSpace client bound to the caller's credential and the MCP request's abort signal. */
  client: DocSpaceClient;
  /** Aborts when the MCP client cancels or disconnects; pass to every DocSpace call. */
  signal: AbortSignal;
  /** Portal base URL (for links shown to the user). */
  baseUrl: string;
  /** Reports progress when the client asked for it (no-op otherwise). `progress` must grow. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** Largest binary returned inline by download tools; above it a resource link is returned. */
  maxInlineBytes: number;
}

/** A content block other than the text rendering (blob or resource link for downloads). */
export type ExtraContent =
  | {
      type: 'resource';
      resource:
        { uri: string; mimeType: string; text: string } | { uri: string; mimeType: string; blob: string };
    }
  | {
      type: 'resource_link';
      uri: string;
      name: string;
      mimeType?: string;
      size?: number;
      description?: string;
    };

/** What a handler returns; the server turns it into a `CallToolResult`. */
export interface ToolOutput<T = Record<string, unknown>> {
  /** `structuredContent`; must match the record's output schema. */
  data: T;
  /** Short text rendering for clients and models that read only text. */
  text: string;
  extra?: ExtraContent[];
}

/**
 * One tool, declared once: the MCP definition, its toolset, and its handler. Selection,
 * read-only mode, docs and snapshots are computed from these records.
 */
export interface ToolRecord<I extends z.ZodObject = z.ZodObject, O extends z.ZodType = z.ZodType> {
  name: string;
  toolset: ToolsetName;
  title: string;
  description: string;
  input: I;
  output: O;
  hints: ToolHints;
  /**
   * For destructive tools: the question put to the person before acting, when the client can
   * elicit and confirmation is on. Returns a sentence naming what will be affected, or
   * undefined when these particular arguments change nothing irreversibly.
   */
  confirm?: (args: z.output<I>) => string | undefined;
  handler: (args: z.output<I>, ctx: ToolContext) => Promise<ToolOutput<z.output<O>>>;
}

/** Erases the generic parameters so records of different shapes fit one list. */
export type AnyToolRecord = ToolRecord<z.ZodObject, z.ZodType>;

/**
 * A problem the caller can fix (bad argument combination, file too large, unsupported
 * format). Becomes an `isError` result with this message; never logged as a bug.
 */
export class ToolInputError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, { status: 400, expose: true });
  }
}

/**
 * The argument through which a client that cannot show a question relays the person's yes: the
 * code the tool's first answer gave (docs/clients.md, "Confirmation"). Not in the input schemas
 * (every byte of tools/list is paid on every connection); the first answer names it.
 */
export const CONFIRM_ARG = 'confirm';

/** Declares a record with its argument types checked against its schemas. */
export function defineTool<I extends z.ZodObject, O extends z.ZodType>(
  record: ToolRecord<I, O>,
): AnyToolRecord {
  return record as unknown as AnyToolRecord;
}

// openWorldHint is false by default: the tools act inside one portal (a closed domain, like a
// file system). Tools that reach people outside it (public links, email invitations) set it.
export const READ: ToolHints = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
/** Creates something new; calling twice creates two. */
export const CREATE: ToolHints = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};
/** Changes something in place; the same call twice leaves the same state. */
export const UPDATE: ToolHints = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
/** Removes or overwrites data, or takes access away. */
export const DESTROY: ToolHints = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
};

/**
 * The hints as `tools/list` sends them. `idempotentHint` is left out on read-only tools: the
 * spec gives it meaning only when `readOnlyHint` is false (a read changes nothing, so repeating
 * it is safe by definition), and the 19 read-only tools would spend ~420 bytes saying so.
 * `destructiveHint: false` stays: its default is true, and clients that skip the `readOnlyHint`
 * check would otherwise ask before every read.
 */
export function wireHints(h: ToolHints): Partial<ToolHints> {
  if (!h.readOnlyHint) return h;
  const { idempotentHint: _implied, ...rest } = h;
  return rest;
}

/** Per-request values the edge middleware sets for later handlers. */
export interface HttpVariables {
  requestId: string;
  clientIp: string;
  /** Who made the request, once authenticated (never a token). */
  principal?: { userId?: string; clientId?: string; kind: string };
  /** Set by the MCP route for the access log and metrics. */
  mcpMethod?: string;
  toolName?: string;
  /** Why the edge refused the request, for its access-log line. */
  refusal?: string;
}

export type HttpEnv = { Variables: HttpVariables };

/** The clients the compatibility suite installs, pinned (npm package → version). */
export const CLIENTS = {
  '@openai/codex': '0.171.0',
  '@anthropic-ai/claude-code': '2.1.332',
  '@google/gemini-cli': '0.61.0',
  'opencode-ai': '1.18.33',
  '@modelcontextprotocol/inspector': '2.12.0',
} as const;

export type ClientPackage = keyof typeof CLIENTS;

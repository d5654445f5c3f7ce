/** What the suite records: per client, one outcome per step. */
export const STEPS = ['apiKey', 'badKey', 'oauthDcr', 'oauthCimd', 'toolsList', 'toolCall'] as const;
export type Step = (typeof STEPS)[number];

export const STEP_TITLES: Record<Step, string> = {
  apiKey: 'API key',
  badKey: 'wrong API key refused',
  oauthDcr: 'OAuth, registration (DCR)',
  oauthCimd: 'OAuth, metadata document (CIMD)',
  toolsList: 'tools/list',
  toolCall: 'tool call without a model',
};

/**
 * `pass` and `fail` were run here; `cannot` could not be run here (the note says why);
 * `n/a` is not something this client does.
 */
export type Status = 'pass' | 'fail' | 'cannot' | 'n/a';

export interface Outcome {
  status: Status;
  /** How (for a pass) or why (otherwise), short. */
  note: string;
}

export interface ClientResult {
  id: string;
  name: string;
  package: string;
  version: string;
  steps: Record<Step, Outcome>;
  seconds: number;
}

export const pass = (note = ''): Outcome => ({ status: 'pass', note });
export const fail = (note: string): Outcome => ({ status: 'fail', note });
export const cannot = (note: string): Outcome => ({ status: 'cannot', note });
export const notApplicable = (note: string): Outcome => ({ status: 'n/a', note });

/** Several connections' results for one step (e.g. tools/list over a key and over OAuth). */
export function combine(parts: { via: string; outcome: Outcome }[]): Outcome {
  const ran = parts.filter((p) => p.outcome.status === 'pass' || p.outcome.status === 'fail');
  if (ran.length === 0) return parts[0]?.outcome ?? cannot('not reached');
  const failed = ran.filter((p) => p.outcome.status === 'fail');
  if (failed.length > 0) return fail(failed.map((p) => `${p.via}: ${p.outcome.note}`).join('; '));
  const note = ran[0].outcome.note;
  return pass(`${note ? `${note} ` : ''}(${ran.map((p) => p.via).join(', ')})`);
}

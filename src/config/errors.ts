import { AppError } from '../errors.js';

/** One thing wrong with the configuration: which setting, what is wrong, how to fix it. */
export interface ConfigIssue {
  /** The variable or flag as the person wrote it (`DOCSPACE_PORT`, `--port`). */
  name: string;
  problem: string;
  fix: string;
}

/** Every configuration problem at once, so a person can fix them in one go. */
export class ConfigError extends AppError {
  declare readonly code: 'config_invalid';
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    const lines = issues.map((i) => `  - ${i.name} ${i.problem}. Fix: ${i.fix}`);
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super('config_invalid', `The docspace-mcp configuration has ${count}:\n${lines.join('\n')}`);
    this.issues = issues;
  }
}

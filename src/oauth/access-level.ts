/**
 * How much one connection (an OAuth grant or a personal token) may do, chosen by the person.
 * `read` admits only the tools the registry marks read-only; `write` admits every tool the
 * operator's own settings allow. The operator's settings are a ceiling neither level exceeds.
 */
export type AccessLevel = 'read' | 'write';

export const ACCESS_LEVELS: readonly AccessLevel[] = ['read', 'write'];

/** The level named by `value`, or undefined when it names none (form fields, settings). */
export function parseAccessLevel(value: unknown): AccessLevel | undefined {
  return value === 'read' || value === 'write' ? value : undefined;
}

/** The words a person sees for a level (consent page, /connections). */
export function accessLevelLabel(level: AccessLevel): string {
  return level === 'read' ? 'Read only' : 'Read and write';
}

/** True when `next` grants more than `current` (raising asks the person to confirm again). */
export function raisesAccess(current: AccessLevel, next: AccessLevel): boolean {
  return current === 'read' && next === 'write';
}

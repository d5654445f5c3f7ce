/** One line of the closing table. `pass` is null for figures reported without a budget. */
export interface Row {
  figure: string;
  budget: string;
  measured: string;
  pass: boolean | null;
}

export interface MeasureResult {
  name: string;
  rows: Row[];
  /** Everything measured, for bench/results.json. */
  data: unknown;
}

export function row(figure: string, budget: string, measured: string, pass: boolean | null = null): Row {
  return { figure, budget, measured, pass };
}

function verdict(pass: boolean | null): string {
  return pass === null ? '' : pass ? 'pass' : 'FAIL';
}

/** A plain-text table; the same rows go into docs/performance.md as Markdown. */
export function formatTable(rows: Row[]): string {
  const head = ['Figure', 'Budget', 'Measured', 'Result'];
  const cells = rows.map((r) => [r.figure, r.budget, r.measured, verdict(r.pass)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function formatMarkdown(rows: Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| Figure | Budget | Measured | Result |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${esc(r.figure)} | ${esc(r.budget)} | ${esc(r.measured)} | ${verdict(r.pass)} |`),
  ].join('\n');
}

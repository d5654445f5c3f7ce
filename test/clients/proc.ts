/**
 * Child processes for the client suite: every run has a deadline, and on it the whole process
 * group the run started is ended (a client's own children, such as a browser it opened, too).
 */
import { spawn } from 'node:child_process';

export interface RunOptions {
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  /** Written to stdin, which is then closed (default: stdin closed at once). */
  input?: string;
  /** Ends the run early (successfully) once the output so far satisfies it. */
  until?: (stdout: string, stderr: string) => boolean;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Ended by `until`. */
  stopped: boolean;
  ms: number;
}

export function run(command: string, args: string[], opts: RunOptions): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: opts.env,
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let stopped = false;
    let done = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, opts.timeoutMs);
    const check = () => {
      if (!stopped && opts.until?.(stdout, stderr)) {
        stopped = true;
        killGroup();
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
      check();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      check();
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
    const finish = (code: number | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut, stopped, ms: Date.now() - started });
    };
    child.on('error', (err) => {
      stderr += `\n${err.message}`;
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

/** Terminal colour and cursor codes out, for matching and for reasons in the table. */
export function plain(text: string): string {
  // biome-ignore lint: control characters are the point
  return text
    .replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)/g, '')
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}

/** The last meaningful line of an output, short, for a table cell. */
export function lastLine(text: string, max = 140): string {
  const lines = plain(text)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.at(-1) ?? '(no output)';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

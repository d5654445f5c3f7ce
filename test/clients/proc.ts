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
    // `until` may watch something besides the output (a browser's report): look again now and then.
    const poll = opts.until ? setInterval(check, 250) : undefined;
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
    const finish = (code: number | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
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

export interface Terminal {
  /** Types text, then Enter. */
  line(text: string): Promise<void>;
  /** Waits until the output after `from` matches; false on timeout. */
  waitFor(pattern: RegExp, timeoutMs: number, from?: number): Promise<boolean>;
  /** The output so far, without terminal codes. */
  text(from?: number): string;
  mark(): number;
  close(): void;
}

/** A full-screen terminal program under `script` (a pty), typed into like a person would. */
export function terminal(program: string, env: Record<string, string>, cwd: string): Terminal {
  const quoted = `'${program.replace(/'/g, `'\\''`)}'`;
  const child = spawn('script', ['-q', '-c', quoted, '/dev/null'], {
    env,
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let answered = false;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    // Ink apps ask the terminal who it is (XTVERSION) and wait for the answer: give one.
    if (!answered && out.includes('\u001b[>q')) {
      answered = true;
      child.stdin.write('\u001bP>|xterm(390)\u001b\\');
    }
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  child.stdin.on('error', () => undefined);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  return {
    async line(text) {
      child.stdin.write(text);
      await sleep(300);
      child.stdin.write('\r');
    },
    async waitFor(pattern, timeoutMs, from = 0) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until && !exited) {
        if (pattern.test(plain(out.slice(from)))) return true;
        await sleep(200);
      }
      return pattern.test(plain(out.slice(from)));
    },
    text: (from = 0) => plain(out.slice(from)),
    mark: () => out.length,
    close() {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    },
  };
}

/**
 * Running one benchmark step as its own process, so its wall time and peak memory are its own:
 * GNU time (`/usr/bin/time -v`) reports the maximum resident set size of the process (for a
 * command that starts children, of the largest process in its tree).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export const GNU_TIME = '/usr/bin/time';

export interface StepResult {
  /** Wall-clock seconds measured around the child process. */
  seconds: number;
  /** Peak resident set size in bytes (undefined when GNU time is unavailable). */
  maxRssBytes?: number;
  /** User + system CPU seconds of the process tree: on a busy machine, steadier than wall time. */
  cpuSeconds?: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** Reads "Maximum resident set size (kbytes): N" from `/usr/bin/time -v` output, in bytes. */
export function parseMaxRss(timeOutput: string): number | undefined {
  const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(timeOutput);
  return m ? Number(m[1]) * 1024 : undefined;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Lines of the child's output are passed here as they arrive (progress). */
  onLine?: (line: string) => void;
}

/** Reads user + system CPU seconds from `/usr/bin/time -v` output. */
export function parseCpuSeconds(timeOutput: string): number | undefined {
  const user = /User time \(seconds\):\s*([\d.]+)/.exec(timeOutput);
  const sys = /System time \(seconds\):\s*([\d.]+)/.exec(timeOutput);
  return user && sys ? Number(user[1]) + Number(sys[1]) : undefined;
}

/** Runs `cmd args…` under GNU time and resolves with its wall time, peak RSS and output. */
export function runMeasured(cmd: string, args: string[], opts: RunOptions = {}): Promise<StepResult> {
  const useTime = existsSync(GNU_TIME);
  const timeFile = join(tmpdir(), `steward-bench-time-${process.pid}-${Date.now()}.txt`);
  const [file, argv] = useTime ? [GNU_TIME, ['-v', '-o', timeFile, cmd, ...args]] : [cmd, args];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const feed = (chunk: Buffer, into: 'out' | 'err') => {
      const text = chunk.toString('utf8');
      if (into === 'out') stdout += text;
      else stderr += text;
      if (opts.onLine) for (const line of text.split('\n')) if (line.trim()) opts.onLine(line);
    };
    child.stdout.on('data', (c: Buffer) => feed(c, 'out'));
    child.stderr.on('data', (c: Buffer) => feed(c, 'err'));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      let maxRssBytes: number | undefined;
      let cpuSeconds: number | undefined;
      if (useTime && existsSync(timeFile)) {
        const report = readFileSync(timeFile, 'utf8');
        maxRssBytes = parseMaxRss(report);
        cpuSeconds = parseCpuSeconds(report);
        rmSync(timeFile, { force: true });
      }
      resolve({ seconds, maxRssBytes, cpuSeconds, code: code ?? 1, stdout, stderr });
    });
  });
}

/** The last line of a step's stdout that is a JSON object: how bench/steps/* report figures. */
export function lastJson<T>(stdout: string): T {
  const lines = stdout.trim().split('\n').reverse();
  for (const l of lines) {
    if (l.startsWith('{')) return JSON.parse(l) as T;
  }
  throw new Error(`the step printed no JSON result; its output ended with:\n${lines.slice(0, 5).reverse().join('\n')}`);
}

/** Runs a TypeScript step script through tsx in its own Node process. */
export function runTsStep(script: string, args: string[], opts: RunOptions = {}): Promise<StepResult> {
  return runMeasured(process.execPath, ['--import', 'tsx', script, ...args], opts);
}

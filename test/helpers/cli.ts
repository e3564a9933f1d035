import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createProgram } from "../../src/cli/program";

/**
 * The `vici-brain` command line, two ways:
 * - `runCli`: in this process (a new commander program, stdout/stderr captured, the
 *   environment given, process.exit turned into the exit code): the whole command runs as
 *   it does from a shell, minus a second or more of process start. Runs must not overlap.
 * - `spawnCli`: a real child process of the built gateway (dist/src/main.js, built by the
 *   suite's globalSetup) for what needs one: signals, a closed pipe, the process exiting.
 */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export const ROOT = join(__dirname, "..", "..");
export const MAIN_JS = join(ROOT, "dist", "src", "main.js");

class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

let running = false;

export async function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  if (running) throw new Error("runCli: one command at a time (they share process.stdout and process.env)");
  running = true;
  let stdout = "";
  let stderr = "";
  const saved = {
    env: process.env,
    exit: process.exit,
    out: process.stdout.write,
    err: process.stderr.write,
    exitCode: process.exitCode,
  };
  process.env = { ...env };
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => (
    (stdout += String(chunk)),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (stderr += String(chunk)),
    true
  )) as typeof process.stderr.write;
  process.exit = ((code?: number) => {
    throw new ExitCalled(code ?? 0);
  }) as typeof process.exit;
  let code: number;
  try {
    await createProgram().parseAsync(["node", "vici-brain", ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    if (!(e instanceof ExitCalled)) throw e;
    code = e.code;
  } finally {
    Object.assign(process, { env: saved.env, exit: saved.exit, exitCode: saved.exitCode });
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    running = false;
  }
  return { code, stdout, stderr };
}

export interface SpawnedCli extends CliRun {
  ms: number;
}

/**
 * Runs `vici-brain ...args` as a child process to its end (it must exit by itself). `onStderr`
 * sees stderr as it grows (to signal the child at the right moment); `shell` runs a command
 * line through bash with pipefail (its code is the first failing command's), `vici-brain`
 * meaning the built CLI (e.g. `vici-brain jobs | head -1`; `npx vici-brain` as the README
 * writes it is left to npx).
 */
export function spawnCli(
  args: string[],
  env: Record<string, string | undefined>,
  opts: { onStderr?: (text: string, child: ChildProcess) => void; shell?: string; timeoutMs?: number } = {},
): Promise<SpawnedCli> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = opts.shell
      ? spawn(
          "bash",
          [
            "-o",
            "pipefail",
            "-c",
            opts.shell.replace(/(?<!npx )\bvici-brain\b/g, `"${process.execPath}" "${MAIN_JS}"`),
          ],
          { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
        )
      : spawn(process.execPath, [MAIN_JS, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => {
      stderr += d;
      opts.onStderr?.(stderr, child);
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `vici-brain ${opts.shell ?? args.join(" ")} did not exit within the time allowed\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, opts.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

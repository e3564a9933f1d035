import os from "node:os";
import pino from "pino";
import type { Command, CommanderError } from "commander";
import { loadConfig, mergeConfig, type AppConfig } from "../config/app-config";
import { createApp, type GatewayApp } from "../app";
import { ensureBrainDatabase } from "../data-sources/brain-database";
import { withDemoSettings } from "../demo/load-demo";
import { createLogger } from "../logger";
import { EXIT, Output } from "./output";

/**
 * The CLI's settings: the gateway's (environment), except that logs default to `warn` and go
 * to stderr, so stdout carries only the command's output.
 */
export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return loadConfig({ ...env, LOG_LEVEL: env.LOG_LEVEL || "warn" });
}

/** Who started a job from the command line (sync_jobs.started_by, 100 characters). */
export function cliPrincipal(): string {
  let user = "unknown";
  try {
    user = os.userInfo().username;
  } catch {
    user = process.env.USER ?? "unknown";
  }
  return `cli:${user}@${os.hostname()}`.slice(0, 100);
}

export interface CliRun {
  app: GatewayApp;
  out: Output;
  /** A job-runner pass this command started (drain): awaited before the databases close. */
  track(p: Promise<unknown>): void;
}

/**
 * Runs one command against an initialized app and always stops it: `init()` (Brain created
 * and migrated if needed, both databases open, pusher and job runner started), the command,
 * then `stop()`. Sets process.exitCode (the process then ends by itself: nothing stays open).
 *
 * `runJobs: false` (read-only commands): this process does not claim queued jobs, so listing
 * jobs never starts one. `errorExit`: a command's own exit code for an error (else exitCodeOf).
 */
export async function withApp<T = void>(
  opts: { json?: boolean; runJobs: boolean; prepare?: () => T; errorExit?: (e: unknown) => number },
  fn: (run: CliRun, prepared: T) => Promise<number>,
): Promise<void> {
  const out = new Output(!!opts.json);
  let app: GatewayApp | null = null;
  const pending: Promise<unknown>[] = [];
  let code: number;
  try {
    // Checks of the arguments that commander cannot do, before any database is opened.
    const prepared = opts.prepare ? opts.prepare() : (undefined as T);
    let config = loadCliConfig();
    if (!opts.runJobs) config = mergeConfig(config, { jobs: { run: false } });
    const log = createLogger(config.logLevel, pino.destination({ fd: 2, sync: true }));
    await ensureBrainDatabase(config.brain.url);
    // Against the demo's databases the demo's list settings hold here too.
    app = createApp(await withDemoSettings(config), { log });
    await app.init();
    code = await fn({ app, out, track: (p) => pending.push(p.catch(() => undefined)) }, prepared);
  } catch (e) {
    code = out.error(e);
    if (opts.errorExit) code = opts.errorExit(e);
  }
  if (app) {
    try {
      // The runner first (a job of this process stops at its next batch, resumable), then
      // any pass the command started, then the databases.
      await app.jobs.stop();
      await Promise.all(pending);
      await app.stop();
    } catch (e) {
      app.log.warn({ err: e }, "error while closing");
    }
  }
  process.exitCode = code;
}

/**
 * Commander's own errors (unknown option, missing argument, a parser's InvalidArgumentError)
 * exit 2; help and version exit 0.
 */
export function usageExit(cmd: Command): Command {
  return cmd.exitOverride((err: CommanderError) => {
    process.exit(err.exitCode === 0 ? EXIT.OK : EXIT.USAGE);
  });
}

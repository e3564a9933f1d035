import type { Command } from "commander";
import { registerCallCommands } from "./call-commands";
import { registerJobCommands } from "./job-commands";
import { registerKeyCommands } from "./key-commands";
import { registerReportCommands } from "./report-commands";
import { registerSyncCommands } from "./sync-commands";

/**
 * The sync CLI on the gateway's program (the seed strategy's artisan commands): jobs that
 * import and link, reports, and job control; and API keys. Exit codes (EXIT): 0 success, 1 a failed or
 * cancelled job or any error, 2 bad arguments or configuration, 3 a job that finished with rows
 * rejected, 130 Ctrl-C (the job was cancelled), 143 SIGTERM; `can-call`: 0 callable, 1 not callable,
 * 2 bad input, 4 no answer.
 */
export function registerCli(program: Command): Command {
  registerSyncCommands(program);
  registerReportCommands(program);
  registerJobCommands(program);
  registerKeyCommands(program);
  registerCallCommands(program);
  return program;
}

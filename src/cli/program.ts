import { Command } from "commander";
import type { Logger } from "pino";
import { ConfigError, loadConfig, type AppConfig } from "../config/app-config";
import { createApp } from "../app";
import { createBrainDataSource } from "../data-sources/brain.data-source";
import { ensureBrainDatabase } from "../data-sources/brain-database";
import { createLogger } from "../logger";
import { loadDemo, withDemoLists, withDemoSettings } from "../demo/load-demo";
import { registerCli } from "./index";
import { loadCallRulesFile } from "../config/call-rules";

/** SIGTERM/SIGINT: stop the app (requests drain, a running job stops at its next batch), then exit. */
function stopOnSignals(app: { stop(): Promise<void> }, log: Logger): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    await app.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

/**
 * `vici-brain` — the gateway's command line: serve, worker, migrate, and the sync commands
 * (import-to-brain, update-vendor-codes, full-sync, import-csv, audit, health, jobs, job,
 * cancel, rollback, keys, can-call; src/cli/). A new program per run (commander keeps parsed options).
 */
export function createProgram(): Command {
  const program = new Command()
    .name("vici-brain")
    .description("GraphQL gateway over Brain (PostgreSQL) and VICIdial (MariaDB)");

  program
    .command("serve", { isDefault: true })
    .description("create Brain's database if missing, run its migrations and serve GraphQL on /graphql")
    .option(
      "--demo",
      "also create a demo VICIdial database (project DDL + generated leads) and demo Brain leads when they are empty",
    )
    .option("--demo-leads <n>", "how many Vici leads the demo generates", "3000")
    .action(async (opts: { demo?: boolean; demoLeads: string }) => {
      let config = readConfig();
      const log = createLogger(config.logLevel);
      await ensureBrainDatabase(config.brain.url);
      let demoKey: string | null = null;
      if (opts.demo) {
        const leads = Number(opts.demoLeads);
        if (!Number.isInteger(leads) || leads < 1 || leads > 1_000_000) {
          console.error("--demo-leads must be a whole number from 1 to 1000000");
          process.exit(2);
        }
        demoKey = (await loadDemo(config, log, { leads })).key;
        config = withDemoLists(config);
      } else {
        config = await withDemoSettings(config);
      }
      const app = createApp(config, { log });
      const url = await app.start();
      console.log(`\nGraphQL API: ${url}`);
      const consoleUrl = new URL("/console", url).toString();
      if (config.graphql.ide) console.log(`GraphQL IDE (GraphiQL, served by this gateway): open ${url} in a browser`);
      if (config.graphql.console) console.log(`Operations console: open ${consoleUrl} in a browser`);
      console.log("");
      if (demoKey) {
        console.log(`Demo API key (admin, pii; replaced at the next --demo start), shown only here:\n\n  ${demoKey}\n`);
        // The key travels in the fragment: the browser keeps it, no server ever receives it.
        if (config.graphql.ide) console.log(`  IDE with the key filled in: ${url}#key=${demoKey}\n`);
        if (config.graphql.console) console.log(`  Console with the key filled in: ${consoleUrl}#key=${demoKey}\n`);
        console.log(
          `  curl -s ${url} -H 'content-type: application/json' -H 'authorization: Bearer ${demoKey}' -d '{"query":"{ campaigns { campaignId } }"}'\n`,
        );
      } else if (config.auth.apiKeysRequired) {
        console.log(
          "Requests need an API key (Authorization: Bearer <key>); create one with: npx vici-brain keys create --name NAME --role reader\n",
        );
      }
      stopOnSignals(app, log);
    });

  program
    .command("worker")
    .description("run sync jobs from the queue and push the outbox (needs REDIS_URL); serves no HTTP")
    .action(async () => {
      const config = readConfig();
      const log = createLogger(config.logLevel);
      if (!config.redis) {
        // Without Redis there is no queue: `serve` runs jobs and the pusher itself.
        console.error("worker needs REDIS_URL (without it, `serve` runs the jobs itself)");
        process.exit(2);
      }
      await ensureBrainDatabase(config.brain.url);
      const app = createApp(await withDemoSettings(config), { log, role: "worker" });
      await app.init();
      console.log(`worker consuming sync jobs (Redis prefix ${config.redis.prefix})`);
      // A job running here stops at its next batch and goes back to the queue for another worker.
      stopOnSignals(app, log);
    });

  program
    .command("migrate")
    .description("create Brain's database if missing and apply pending migrations")
    .action(async () => {
      const config = readConfig();
      const log = createLogger(config.logLevel);
      await ensureBrainDatabase(config.brain.url);
      const ds = createBrainDataSource(config.brain.url, log);
      await ds.initialize();
      try {
        const applied = await ds.runMigrations({ transaction: "each" });
        console.log(
          applied.length ? `applied: ${applied.map((m) => m.name).join(", ")}` : "Brain schema is up to date",
        );
      } finally {
        await ds.destroy();
      }
    });

  return registerCli(program);
}

function readConfig(): AppConfig {
  try {
    const config = loadConfig(process.env);
    // The rule file too: a bad one is a configuration error (exit 2) before anything starts.
    loadCallRulesFile(config.callRules.file);
    return config;
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}

import type { Logger } from "pino";
import { Client } from "pg";
import { DEMO_KEY_CREATOR, issueDemoKey } from "./demo-key";
import type { AppConfig } from "../config/app-config";
import { createBrainDataSource } from "../data-sources/brain.data-source";
import { ensureBrainDatabase } from "../data-sources/brain-database";
import { parseMysqlUrl } from "../data-sources/vici.data-source";
import { connectServer, createViciDatabase } from "../vici/vici-ddl";
import { DEMO_LISTS, seedDemoBrain, seedDemoVici } from "./demo-data";

/**
 * `serve --demo`: a demo VICIdial database (the project's DDL + generated leads) and demo
 * Brain leads. Only ever fills EMPTY tables: pointed at a real dialer it loads nothing there.
 */
/** Loads demo data into empty databases; returns a new demo API key (admin, pii). */
export async function loadDemo(config: AppConfig, log: Logger, opts: { leads: number }): Promise<{ key: string }> {
  const created = await createViciDatabase(config.vici.url);
  const target = parseMysqlUrl(config.vici.url);
  const conn = await connectServer(target, target.database);
  try {
    const [[{ n }]] = (await conn.query("SELECT COUNT(*) AS n FROM vicidial_list")) as any;
    if (Number(n) === 0) {
      const t0 = Date.now();
      const summary = await seedDemoVici(conn, { leads: opts.leads, timeZone: config.vici.timeZone });
      log.info({ database: target.database, createdTables: created, ms: Date.now() - t0, summary }, "demo Vici data loaded");
    } else {
      log.info({ database: target.database, leads: Number(n) }, "Vici database already has leads: demo Vici data not loaded");
    }

    await ensureBrainDatabase(config.brain.url);
    const brain = createBrainDataSource(config.brain.url, log);
    await brain.initialize();
    try {
      await brain.runMigrations({ transaction: "each" });
      const result = await seedDemoBrain(brain, conn, { timeZone: config.vici.timeZone, campaigns: config.vici.campaigns });
      if (result.leads) log.info(result, "demo Brain leads loaded");
      else log.info({ reason: result.skipped }, "demo Brain leads not loaded");
      return { key: await issueDemoKey(brain) };
    } finally {
      await brain.destroy();
    }
  } finally {
    await conn.end();
  }
}

/**
 * The demo's list settings for every command run against a Brain that `--demo` filled (it
 * holds a key the demo issued), when no list settings are given: `serve` without `--demo`,
 * `worker` and the CLI then place campaign rows as the demo gateway does.
 */
export async function withDemoSettings(config: AppConfig): Promise<AppConfig> {
  const { push } = config;
  if (push.defaultListId !== null || Object.keys(push.campaignLists).length) return config;
  return (await isDemoBrain(config.brain.url)) ? withDemoLists(config) : config;
}

async function isDemoBrain(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ present: boolean }>("SELECT to_regclass('api_keys') IS NOT NULL AS present");
    if (!rows[0]?.present) return false;
    const keys = await client.query("SELECT 1 FROM api_keys WHERE created_by = $1 LIMIT 1", [DEMO_KEY_CREATOR]);
    return (keys.rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

/** Demo runs need no list settings: new leads go to the demo campaigns' first lists. */
export function withDemoLists(config: AppConfig): AppConfig {
  const { push } = config;
  if (push.defaultListId !== null || Object.keys(push.campaignLists).length) return config;
  const campaignLists: Record<string, number> = {};
  for (const l of DEMO_LISTS) campaignLists[l.campaignId.toLowerCase()] ??= l.listId;
  return { ...config, push: { ...push, defaultListId: DEMO_LISTS[0].listId, campaignLists } };
}

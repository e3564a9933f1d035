import type { Logger } from "pino";
import { issueDemoKey } from "./demo-key";
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
      const result = await seedDemoBrain(brain, conn, { timeZone: config.vici.timeZone });
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

/** Demo runs need no list settings: new leads go to the demo campaigns' first lists. */
export function withDemoLists(config: AppConfig): AppConfig {
  const { push } = config;
  if (push.defaultListId !== null || Object.keys(push.campaignLists).length) return config;
  const campaignLists: Record<string, number> = {};
  for (const l of DEMO_LISTS) campaignLists[l.campaignId.toLowerCase()] ??= l.listId;
  return { ...config, push: { ...push, defaultListId: DEMO_LISTS[0].listId, campaignLists } };
}

import type { Logger } from "pino";
import { Client } from "pg";
import type { Connection } from "mysql2/promise";
import { DEMO_KEY_CREATOR, issueDemoKey } from "./demo-key";
import { mergeConfig, type AppConfig } from "../config/app-config";
import { createApp, type GatewayApp } from "../app";
import { parseMysqlUrl } from "../data-sources/vici.data-source";
import { SyncJobKind, SyncJobState, type SyncJobRecord } from "../jobs/sync-job.types";
import { connectServer, createViciDatabase } from "../vici/vici-ddl";
import { newExternalLeadId } from "../util/external-lead-id";
import {
  DEMO_LISTS,
  demoBrainOnlyLeads,
  isDemoVici,
  seedDemoVici,
  viciLeadCount,
  viciPhoneNumbers,
} from "../vici/demo-data";

/** sync_jobs.started_by of the demo's import: how a later start finds it (to resume, not to repeat it). */
export const DEMO_JOB_STARTER = "demo";

/** What `--demo` did to Brain. */
export interface DemoBrainLoad {
  /** Why Brain was left as it is: it has leads of its own, or the Vici database is not the demo one. */
  skipped?: "brain_not_empty" | "vici_not_demo";
  /** The demo's FULL job (the real import, then the vendor-code write-back). */
  job?: SyncJobRecord;
  /** Brain-only leads (origin api, never pushed) added by this run. */
  brainOnlyAdded: number;
}

/**
 * `serve --demo`: a demo VICIdial database (the project's DDL + generated leads), then Brain
 * filled by the gateway's own FULL job — the real import and vendor-code write-back, the same
 * rules as on a real dialer — plus leads that reached Brain through the API only. Only ever
 * fills EMPTY tables: pointed at a real dialer, or at a Brain with leads of its own, it loads
 * nothing there. A start killed half-way resumes the demo's job at the next `--demo` start.
 * Returns a new demo API key (admin, pii).
 */
export async function loadDemo(
  config: AppConfig,
  log: Logger,
  opts: { leads: number },
): Promise<{ key: string; brain: DemoBrainLoad }> {
  const created = await createViciDatabase(config.vici.url);
  const target = parseMysqlUrl(config.vici.url);
  const conn = await connectServer(target, target.database);
  try {
    const n = await viciLeadCount(conn);
    if (n === 0) {
      const t0 = Date.now();
      const summary = await seedDemoVici(conn, { leads: opts.leads, timeZone: config.vici.timeZone });
      log.info(
        { database: target.database, createdTables: created, ms: Date.now() - t0, summary },
        "demo Vici data loaded",
      );
    } else {
      log.info({ database: target.database, leads: n }, "Vici database already has leads: demo Vici data not loaded");
    }
    // Jobs run here, in this process, whatever the deployment (no Redis queue to wait on).
    const app = createApp(mergeConfig(withDemoLists(config), { redis: null, jobs: { run: true } }), { log });
    try {
      await app.init();
      const brain = await fillDemoBrain(app, conn);
      if (brain.skipped) log.info({ reason: brain.skipped }, "demo Brain leads not loaded");
      else
        log.info(
          {
            job: brain.job?.id,
            state: brain.job?.state,
            processed: brain.job?.processed,
            created: brain.job?.created,
            brainOnlyAdded: brain.brainOnlyAdded,
          },
          "demo Brain leads loaded",
        );
      return { key: await issueDemoKey(app.brain), brain };
    } finally {
      await app.stop();
    }
  } finally {
    await conn.end();
  }
}

/**
 * Brain from the demo Vici: the demo's FULL job (started once; a later start resumes it if it
 * was cut short) and the Brain-only leads (ON CONFLICT: adding them again adds nothing).
 */
export async function fillDemoBrain(app: GatewayApp, vici: Connection): Promise<DemoBrainLoad> {
  if (!(await isDemoVici(vici))) return { skipped: "vici_not_demo", brainOnlyAdded: 0 };

  const [earlier] = await app.brain.query("SELECT id FROM sync_jobs WHERE started_by = $1 ORDER BY id LIMIT 1", [
    DEMO_JOB_STARTER,
  ]);
  let jobId: string;
  if (earlier) jobId = String(earlier.id);
  else {
    const [{ found }] = await app.brain.query("SELECT EXISTS (SELECT 1 FROM leads) AS found");
    if (found) return { skipped: "brain_not_empty", brainOnlyAdded: 0 };
    jobId = (await app.services.syncJobs.start({ kind: SyncJobKind.FULL, campaigns: [] }, DEMO_JOB_STARTER)).id;
  }

  const leads = demoBrainOnlyLeads(await viciPhoneNumbers(vici));
  const inserted: unknown[] = await app.brain.query(
    `INSERT INTO leads (external_lead_id, phone, first_name, last_name, email, address1, address2, city, state, postal_code, source, origin)
     SELECT external_lead_id, phone, first_name, last_name, email, address1, address2, city, state, postal_code, source, 'api'
       FROM jsonb_to_recordset($1::jsonb) AS x(external_lead_id varchar, phone varchar, first_name varchar, last_name varchar,
            email varchar, address1 varchar, address2 varchar, city varchar, state varchar, postal_code varchar, source varchar)
     ON CONFLICT (phone) DO NOTHING
     RETURNING id`,
    [JSON.stringify(leads.map((l) => ({ ...l, external_lead_id: newExternalLeadId() })))],
  );

  await app.jobs.drain();
  const job = await app.services.syncJobs.get(jobId);
  if (job.state !== SyncJobState.SUCCEEDED)
    throw new Error(`the demo's import (job ${jobId}) ended ${job.state}: ${job.error ?? "see its issues"}`);
  return { job, brainOnlyAdded: inserted.length };
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

/**
 * Call verdicts at scale: `callVerdicts` for 1,000 numbers, and `leads(filter: { callableNow,
 * campaignId })` over the Brain leads of a 1M-lead VICIdial — their latency through the
 * gateway (HTTP, in this process), their statements, and what they cost the dialer's database.
 *
 *   npm run bench:calls -- [--vici-leads 1000000] [--reuse] [--runs 10] [--campaign Auto2] [--no-record]
 *
 * Steps:
 *   a. bench_calls_vici is generated (bench/generate-vici.ts in a child process: the demo's
 *      campaigns, VICIdial's stock call times, the area codes' phone-code rows) and imported into
 *      a fresh bench_calls_brain with a VICI_IMPORT over every list; --reuse keeps both when they
 *      hold that many Vici leads. Brain's leads are vacuumed and analyzed.
 *   b. A gateway in this process (NODE_ENV=production, no rate limit) whose clock the bench sets:
 *      DAY = the next weekday, 11:00 in VICI_TIMEZONE (most leads inside their calling hours);
 *      NIGHT = that day at 03:00 (every number outside the legal hours: nothing is callable).
 *   c. callVerdicts: `--runs` requests of 1,000 Brain phones each (a new random sample each
 *      time) at DAY; the leads filter: `--runs` requests of each case (callable / not callable,
 *      DAY / NIGHT, page of 100, Brain's default order).
 *   d. What the dialer pays, per request: the same work replayed once through the services on a
 *      VICIdial connection of its own (pool of 1: statements serial), with MariaDB's session
 *      handler counters (Handler_read_*: index lookups and row reads, i.e. rows examined) read
 *      before and after, and the statements' wall time.
 *   e. A JSON result, and rows in BENCHMARKS.md's "Call verdicts (issue 14)" table
 *      (--no-record: not). The load average is recorded; measure only when it is below 1.5.
 *
 * Databases bench_calls_brain / bench_calls_vici only.
 */
import "reflect-metadata";
import { execSync } from "node:child_process";
import os from "node:os";
import { DateTime } from "luxon";
import { Client } from "pg";
import pino from "pino";
import { print } from "graphql";
import type { DataSource } from "typeorm";
import { createApp } from "../src/app";
import { Role, Scope } from "../src/auth/roles";
import { loadConfig, type AppConfig } from "../src/config/app-config";
import { createBrainDataSource } from "../src/data-sources/brain.data-source";
import { queryCounter } from "../src/data-sources/query-counter";
import { createViciDataSource } from "../src/data-sources/vici.data-source";
import { packageRoot } from "../src/util/package-root";
import type { LeadEntity } from "../src/entities/brain/lead.entity";
import { CallVerdictService } from "../src/services/call-verdict.service";
import { LeadService, type LeadVerdicts } from "../src/services/lead.service";
import { CallableLeadsDocument, CallVerdictsDocument } from "../generated/client/graphql";
import {
  arg,
  benchDataSize,
  flag,
  fmt,
  generateViciInChild,
  importAllIntoBrain,
  log,
  recordRows,
  versions,
} from "./bench-util";
import { BENCH_TIME_ZONE } from "./generate-vici";

const VICI_LEADS = Number(arg("vici-leads") ?? 1_000_000);
const REUSE = flag("reuse");
const RUNS = Number(arg("runs") ?? 10);
const CAMPAIGN = arg("campaign") ?? "Auto2";
const RECORD = !flag("no-record");
const TZ = BENCH_TIME_ZONE;
const VICI_URL = process.env.BENCH_CALLS_VICI_URL ?? "mysql://root@127.0.0.1:3306/bench_calls_vici";
const BRAIN_URL = process.env.BENCH_CALLS_BRAIN_URL ?? "postgres://postgres@127.0.0.1:5432/bench_calls_brain";
const SECTION = "## Call verdicts (issue 14)";
const PAGE = 100;

const ENV: Record<string, string> = {
  NODE_ENV: "production",
  LOG_LEVEL: "silent",
  PORT: "0",
  BRAIN_DATABASE_URL: BRAIN_URL,
  VICI_DATABASE_URL: VICI_URL,
  VICI_TIMEZONE: TZ,
  RATE_LIMIT_PER_MINUTE: "0",
  JOBS_RUN: "false",
  // The outbox pusher's poll would add its Brain statements to the requests' counts.
  OUTBOX_POLL_MS: "600000",
};

interface Cost {
  statements: number;
  /** Sum of the session's Handler_read_* counters: rows and index entries MariaDB examined. */
  rowsExamined: number;
  /** Wall time of the statements, one connection, one after the other. */
  ms: number;
}

interface Case {
  /** Statements: the fewest of the runs (the key check adds a Brain read now and then). */
  name: string;
  /** Request latency, ms. */
  p50: number;
  max: number;
  brainStatements: number;
  viciStatements: number;
  /** callableNow only: leads scanned, whether the scan limit ended the page, leads returned. */
  scanned?: number;
  limitReached?: boolean;
  returned?: number;
  dialer: Cost;
}

/** Services over a 1-connection VICIdial whose session counters say what a request made MariaDB do. */
class DialerMeter {
  private constructor(
    readonly vici: DataSource,
    readonly brain: DataSource,
    readonly verdicts: CallVerdictService,
    readonly leads: LeadService,
  ) {}

  static async open(config: AppConfig): Promise<DialerMeter> {
    const vici = createViciDataSource(VICI_URL);
    // One connection: every statement on the session whose counters are read.
    (vici.driver as unknown as { options: { extra: object } }).options.extra = { connectionLimit: 1 };
    const brain = createBrainDataSource(BRAIN_URL, pino({ level: "silent" }));
    await Promise.all([vici.initialize(), brain.initialize()]);
    const leads = new LeadService(brain, config);
    return new DialerMeter(vici, brain, new CallVerdictService(vici, leads, config), leads);
  }

  private async handlerReads(): Promise<number> {
    const rows: { Variable_name: string; Value: string }[] = await this.vici.query(
      "SHOW SESSION STATUS LIKE 'Handler_read%'",
    );
    return rows.reduce((n, r) => n + Number(r.Value), 0);
  }

  /** What `work` costs the dialer (the counter reads themselves subtracted). */
  async measure(work: () => Promise<unknown>): Promise<Cost> {
    const counter = queryCounter(this.vici);
    const idle0 = await this.handlerReads();
    const idle1 = await this.handlerReads();
    const own = idle1 - idle0;
    const statements0 = counter.count;
    const t0 = performance.now();
    await work();
    const ms = performance.now() - t0;
    const statements = counter.count - statements0;
    const after = await this.handlerReads();
    return { statements, rowsExamined: Math.max(0, after - idle1 - own), ms: Math.round(ms) };
  }

  /** The request's verdicts as the gateway's loaders give them, on this connection. */
  leadVerdicts(at: Date): LeadVerdicts {
    return {
      at,
      scanned: 0,
      of: async (leads: LeadEntity[], campaignId: string) => {
        const brain = new Map(
          leads.map((l) => [
            l.phone,
            { doNotCall: l.doNotCall, doNotCallReason: l.doNotCallReason, doNotCallUntil: l.doNotCallUntil },
          ]),
        );
        const found = await this.verdicts.verdicts(
          leads.map((l) => l.phone),
          campaignId,
          at,
          brain,
        );
        return leads.map((l) => found.get(l.phone)!);
      },
    };
  }

  close() {
    return Promise.all([this.vici.destroy(), this.brain.destroy()]);
  }
}

/** The measured code's commit (with "+" when the work tree has changes). */
function commit(): string {
  try {
    const head = execSync("git rev-parse --short HEAD", { cwd: packageRoot() }).toString().trim();
    const dirty = execSync("git status --porcelain -- src bench", { cwd: packageRoot() }).toString().trim() !== "";
    return head + (dirty ? "+" : "");
  } catch {
    return "unknown";
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

async function main() {
  if (!Number.isInteger(VICI_LEADS) || VICI_LEADS < 10_000) throw new RangeError("--vici-leads must be at least 10000");
  let size = await benchDataSize(BRAIN_URL, VICI_URL);
  if (REUSE && size && size.vici === VICI_LEADS && size.linked > 0) {
    log(`reusing bench_calls_vici (${fmt(size.vici)} leads) and bench_calls_brain (${fmt(size.brain)} leads)`);
  } else {
    log(`generating bench_calls_vici with ${fmt(VICI_LEADS)} leads`);
    const g = await generateViciInChild(VICI_URL, VICI_LEADS);
    log(`generated in ${g.seconds} s (${fmt(g.calls)} calls)`);
    await importAllIntoBrain(ENV);
    size = await benchDataSize(BRAIN_URL, VICI_URL);
  }
  if (!size) throw new Error("no bench data");
  const pg = new Client({ connectionString: BRAIN_URL });
  await pg.connect();
  await pg.query("VACUUM (ANALYZE) leads");
  // Every sample drawn before anything is measured (a random sort of Brain's leads is not cheap).
  const drawn: string[] = (
    await pg.query("SELECT phone FROM leads ORDER BY random() LIMIT $1", [(RUNS + 2) * 1000])
  ).rows.map((r) => r.phone);
  let drawnAt = 0;
  const sample = async (n: number): Promise<string[]> => drawn.slice(drawnAt, (drawnAt += n));

  // DAY: the next weekday at 11:00 on the server's clock; NIGHT: 03:00 that day.
  let day = DateTime.now().setZone(TZ).plus({ days: 1 }).set({ hour: 11, minute: 0, second: 0, millisecond: 0 });
  while (day.weekday > 5) day = day.plus({ days: 1 });
  const DAY = day.toJSDate();
  const NIGHT = day.set({ hour: 3 }).toJSDate();
  let now = DAY;
  const config = loadConfig(ENV);
  const app = createApp(config, { log: pino({ level: "silent" }), clock: () => now });
  const url = await app.start();
  // A dialer client's key: a reader with the pii scope (phones unmasked).
  const { key } = await app.services.apiKeys.create({
    name: `bench-calls-${Date.now()}`,
    role: Role.READER,
    scopes: [Scope.PII],
  });
  const meter = await DialerMeter.open(config);
  const brainCount = queryCounter(app.brain);
  const viciCount = queryCounter(app.vici);
  const post = async (query: string, variables: Record<string, unknown>) => {
    const before = { brain: brainCount.count, vici: viciCount.count };
    const t0 = performance.now();
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: any; errors?: unknown[] };
    const ms = performance.now() - t0;
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return { body: body.data, ms, brain: brainCount.count - before.brain, vici: viciCount.count - before.vici };
  };
  const loadNow = () => Number(os.loadavg()[0].toFixed(2));
  const loads: number[] = [];

  try {
    const cases: Case[] = [];
    // Warm-up: the facts reader's schema probe, MariaDB's and PostgreSQL's caches.
    await post(print(CallVerdictsDocument), { phones: await sample(1000), campaignId: CAMPAIGN });

    // callVerdicts, 1,000 numbers.
    {
      now = DAY;
      const times: number[] = [];
      const fewest = { brain: Infinity, vici: Infinity };
      let callable = 0;
      for (let i = 0; i < RUNS; i++) {
        loads.push(loadNow());
        const r = await post(print(CallVerdictsDocument), { phones: await sample(1000), campaignId: CAMPAIGN });
        times.push(r.ms);
        fewest.brain = Math.min(fewest.brain, r.brain);
        fewest.vici = Math.min(fewest.vici, r.vici);
        callable += r.body.callVerdicts.filter((v: { callable: boolean }) => v.callable).length;
      }
      const phones = await sample(1000);
      const dialer = await meter.measure(() => meter.verdicts.verdicts(phones, CAMPAIGN, DAY));
      cases.push({
        name: `callVerdicts, 1,000 numbers (${Math.round(callable / RUNS / 10)}% callable)`,
        p50: Math.round(median(times)),
        max: Math.round(Math.max(...times)),
        brainStatements: fewest.brain,
        viciStatements: fewest.vici,
        dialer,
      });
      log(`callVerdicts: p50 ${median(times).toFixed(0)} ms`);
    }

    // leads(filter: { callableNow }), a page of 100.
    for (const [label, at] of [
      ["11:00", DAY],
      ["03:00", NIGHT],
    ] as const) {
      for (const callable of [true, false]) {
        now = at;
        const times: number[] = [];
        const fewest = { brain: Infinity, vici: Infinity };
        let last: Awaited<ReturnType<typeof post>> | null = null;
        for (let i = 0; i < RUNS; i++) {
          loads.push(loadNow());
          last = await post(print(CallableLeadsDocument), { first: PAGE, campaignId: CAMPAIGN, callable });
          times.push(last.ms);
          fewest.brain = Math.min(fewest.brain, last.brain);
          fewest.vici = Math.min(fewest.vici, last.vici);
        }
        const scan = last!.body.leads.callableScan;
        const dialer = await meter.measure(() =>
          meter.leads.page(
            { first: PAGE, filter: { callableNow: callable, campaignId: CAMPAIGN } },
            async () => {
              throw new Error("no status filter here");
            },
            true,
            meter.leadVerdicts(at),
          ),
        );
        cases.push({
          name: `leads(first: ${PAGE}, callableNow: ${callable}) at ${label}`,
          p50: Math.round(median(times)),
          max: Math.round(Math.max(...times)),
          brainStatements: fewest.brain,
          viciStatements: fewest.vici,
          scanned: scan.scanned,
          limitReached: scan.limitReached,
          returned: last!.body.leads.edges.length,
          dialer,
        });
        log(
          `callableNow ${callable} at ${label}: p50 ${median(times).toFixed(0)} ms, scanned ${scan.scanned}, returned ${last!.body.leads.edges.length}`,
        );
      }
    }

    const v = await versions(BRAIN_URL, VICI_URL);
    const cpus = os.cpus();
    const machine = `${cpus.length} cores (${cpus[0]?.model.trim() ?? "cpu"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version.slice(1)}, ${v.pg}, ${v.maria}`;
    const date = new Date().toISOString().slice(0, 10);
    const load = `${Math.min(...loads)}–${Math.max(...loads)}`;
    const data = `${fmt(size.vici)} Vici leads, ${fmt(size.brain)} Brain leads; campaign ${CAMPAIGN}; ${RUNS} runs; CALLABLE_NOW_SCAN_MAX ${config.callableNowScanMax}; code at \`${commit()}\``;
    console.log(
      JSON.stringify({ date, machine, data, load, day: DAY.toISOString(), night: NIGHT.toISOString(), cases }, null, 2),
    );
    if (RECORD) {
      recordRows(
        SECTION,
        RECORD_INTRO,
        RECORD_HEADER,
        cases.map(
          (c) =>
            `| ${date} | ${machine} | ${data} | ${load} | ${c.name} | ${c.p50} / ${c.max} ms | ${c.brainStatements} / ${c.viciStatements} | ${c.scanned === undefined ? "-" : `${fmt(c.scanned)}${c.limitReached ? " (limit)" : ""} → ${c.returned}`} | ${c.dialer.statements} statements, ${fmt(c.dialer.rowsExamined)} rows examined, ${c.dialer.ms} ms |`,
        ),
      );
      log("recorded in BENCHMARKS.md");
    }
  } finally {
    await pg.end();
    await meter.close();
    await app.stop();
  }
}

const RECORD_INTRO = `\`npm run bench:calls -- --vici-leads 1000000\` (\`bench/call-verdicts.bench.ts\`): a generated VICIdial of 1M leads (the demo's campaigns, stock call times, the area codes' phone-code rows) imported into Brain; a gateway in the bench's process whose clock is set to 11:00 (or 03:00) on a weekday in VICI_TIMEZONE. Latency is HTTP, client to answer, median / max of the runs; statements are Brain / VICIdial per request (the fewest of the runs: the API key's check adds a Brain read now and then). "Dialer" is the same work replayed once on a VICIdial connection of its own: its statements, MariaDB's session handler reads (Handler_read_*: rows and index entries examined) and the statements' serial wall time.`;
const RECORD_HEADER = `| date | machine | data | load | request | latency (p50 / max) | statements (Brain / Vici) | leads scanned → returned | dialer's cost per request |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
`;

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

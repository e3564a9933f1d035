import { NotFoundError, UserInputError } from "../errors/errors";
import type { ManagedCampaigns } from "../vici/db/managed-campaigns";
import type { JobQueueStrategy } from "./queue/job-queue-strategy";
import type { JobProgressBus, SyncJobProgressEvent } from "./progress";
import { toProgress } from "./progress";
import type { SyncJobRepository } from "./sync-job.repository";
import {
  FINAL_STATES,
  SyncJobKind,
  SyncJobState,
  type CsvOptions,
  type SyncJobOptions,
  type SyncJobRecord,
} from "./sync-job.types";

export interface StartSyncRequest {
  kind: SyncJobKind;
  campaigns?: string[] | null;
  dryRun?: boolean | null;
  limit?: number | null;
  batchSize?: number | null;
  overwrite?: boolean | null;
  csv?: Partial<CsvOptions> | null;
}

export const DEFAULT_BATCH_SIZE = 5000;
export const MAX_BATCH_SIZE = 50_000;

/** Starting, reading, cancelling and rolling back sync jobs (GraphQL and CLI alike). */
export class SyncJobService {
  private queue: JobQueueStrategy | null = null;

  constructor(
    private readonly repo: SyncJobRepository,
    readonly bus: JobProgressBus,
    private readonly managed: ManagedCampaigns,
  ) {}

  /** The job queue is created after the services (its processors use them); app.ts wires it here. */
  attach(queue: JobQueueStrategy): void {
    this.queue = queue;
  }

  async start(req: StartSyncRequest, startedBy: string | null): Promise<SyncJobRecord> {
    if (req.kind === SyncJobKind.ROLLBACK) throw new UserInputError("start a rollback with rollbackSyncJob", "kind");
    const options = validateOptions(req);
    if (req.kind !== SyncJobKind.CSV_IMPORT) {
      // No campaigns named: the managed ones (VICI_CAMPAIGNS), recorded on the job; a campaign
      // outside them is refused (CampaignNotManagedError).
      const named = options.campaigns.length > 0;
      options.campaigns = this.managed.chosen(options.campaigns) ?? [];
      if (named) {
        // Refuse unknown campaigns now, not minutes later inside the job.
        const named = new Set([...(await this.managed.lists(options.campaigns)).values()].map((c) => c.toLowerCase()));
        const missing = options.campaigns.filter((c) => !named.has(c.toLowerCase()));
        if (missing.length)
          throw new UserInputError(`no VICIdial lists belong to campaign(s) ${missing.join(", ")}`, "campaigns");
      }
    }
    const job = await this.repo.insert({ kind: req.kind, options, dryRun: options.dryRun, startedBy });
    await this.queue?.add(job);
    return job;
  }

  async get(id: string): Promise<SyncJobRecord> {
    const job = await this.repo.get(id);
    if (!job) throw new NotFoundError("sync job", id);
    return job;
  }

  list(opts: {
    states?: SyncJobState[] | null;
    kinds?: SyncJobKind[] | null;
    first?: number | null;
    afterId?: string | null;
  }) {
    const first = opts.first ?? 50;
    if (!Number.isInteger(first) || first < 1 || first > 500)
      throw new UserInputError("first must be 1 to 500", "first");
    if (opts.afterId && !/^[1-9][0-9]{0,17}$/.test(opts.afterId))
      throw new UserInputError("after is not a job id", "after");
    return this.repo.list({ ...opts, first });
  }

  async cancel(id: string): Promise<SyncJobRecord> {
    const job = await this.get(id);
    if (FINAL_STATES.has(job.state)) throw new UserInputError(`job ${id} has already ended (${job.state})`, "id");
    return (await this.repo.requestCancel(id))!;
  }

  /** Undo a finished job from its before-values, as a ROLLBACK job (dry run: report only). */
  async rollback(id: string, dryRun: boolean, startedBy: string | null): Promise<SyncJobRecord> {
    const target = await this.get(id);
    if (target.kind === SyncJobKind.ROLLBACK) throw new UserInputError("a rollback cannot be rolled back", "id");
    if (!FINAL_STATES.has(target.state))
      throw new UserInputError(`job ${id} is still ${target.state}: cancel it first`, "id");
    if (target.dryRun) throw new UserInputError(`job ${id} was a dry run: it changed nothing`, "id");
    if (target.rolledBackBy && !dryRun)
      throw new UserInputError(`job ${id} was already rolled back by job ${target.rolledBackBy}`, "id");
    const options: SyncJobOptions = { ...emptyOptions(), dryRun, targetJobId: id };
    const job = await this.repo.insert({ kind: SyncJobKind.ROLLBACK, options, dryRun, startedBy, parentJobId: id });
    await this.queue?.add(job);
    return job;
  }

  issues(id: string, opts: { first?: number | null; afterId?: string | null; kinds?: string[] | null }) {
    return this.repo.issues(id, {
      first: Math.min(opts.first ?? 100, 10_000),
      afterId: opts.afterId,
      kinds: opts.kinds,
    });
  }

  /**
   * Subscribe, then snapshot: the listener is attached before the current state is read, so
   * no event is lost between the two; a late subscriber gets the current state first. Ends
   * after the final state.
   */
  async *progress(id: string): AsyncGenerator<SyncJobProgressEvent> {
    const events = this.bus.subscribe(id);
    const iterator = events[Symbol.asyncIterator]();
    try {
      const snapshot = toProgress(await this.get(id));
      yield snapshot;
      if (snapshot.final) return;
      let last = snapshot.processed;
      for (;;) {
        const { value, done } = await iterator.next();
        if (done) return;
        if (value.processed < last && !value.final) continue; // older than the snapshot
        last = value.processed;
        yield value;
        if (value.final) return;
      }
    } finally {
      await iterator.return?.();
    }
  }
}

function emptyOptions(): SyncJobOptions {
  return {
    campaigns: [],
    dryRun: false,
    limit: null,
    batchSize: DEFAULT_BATCH_SIZE,
    overwrite: false,
    csv: null,
    targetJobId: null,
  };
}

export function validateOptions(req: StartSyncRequest): SyncJobOptions {
  const campaigns = [...new Set((req.campaigns ?? []).map((c) => c.trim()).filter(Boolean))];
  for (const c of campaigns) {
    if (!/^[-_0-9A-Za-z]{1,8}$/.test(c)) throw new UserInputError(`"${c}" is not a VICIdial campaign id`, "campaigns");
  }
  const limit = req.limit ?? null;
  if (limit !== null && (!Number.isInteger(limit) || limit < 1))
    throw new UserInputError("limit must be a positive whole number", "limit");
  const batchSize = req.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new UserInputError(`batchSize must be 1 to ${MAX_BATCH_SIZE}`, "batchSize");
  }
  let csv: CsvOptions | null = null;
  if (req.kind === SyncJobKind.CSV_IMPORT) {
    const c = req.csv ?? {};
    if (!c.path === !c.content)
      throw new UserInputError("a CSV import needs exactly one of csv.path or csv.content", "csv");
    const encoding = c.encoding ?? "utf-8";
    if (encoding !== "utf-8" && encoding !== "latin1")
      throw new UserInputError('csv.encoding must be "utf-8" or "latin1"', "csv.encoding");
    const maxErrors = c.maxErrors ?? null;
    if (maxErrors !== null && (!Number.isSafeInteger(maxErrors) || maxErrors < 0))
      throw new UserInputError("csv.maxErrors must be a whole number, 0 or more", "csv.maxErrors");
    csv = {
      path: c.path ?? null,
      content: c.content ?? null,
      mapping: c.mapping ?? null,
      matchVici: !!c.matchVici,
      updateExisting: !!c.updateExisting,
      maxErrors,
      encoding,
    };
  } else if (req.csv) {
    throw new UserInputError("csv options are for CSV_IMPORT jobs", "csv");
  }
  return { ...emptyOptions(), campaigns, dryRun: !!req.dryRun, limit, batchSize, overwrite: !!req.overwrite, csv };
}

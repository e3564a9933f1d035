import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { MaskPii } from "../../auth/mask-pii";
import { SyncJobKind, SyncJobState } from "../../jobs/sync-job.types";
import { JSONObject, SafeInt } from "../scalars";

registerEnumType(SyncJobKind, { name: "SyncJobKind" });
registerEnumType(SyncJobState, { name: "SyncJobState" });

@InputType({ description: "How a CSV_IMPORT reads its file." })
export class CsvImportInput {
  /** Files on the server are for the CLI only: a GraphQL caller sends the CSV text. */
  @Field(() => String, { description: "The CSV text." })
  content: string;

  @Field(() => JSONObject, {
    nullable: true,
    description: 'CSV header → lead field, e.g. {"Phone Number": "phone"}; common headers map by default.',
  })
  mapping?: Record<string, string> | null;

  @Field({
    defaultValue: false,
    description: "Link rows whose phone VICIdial already has (else they are reported and skipped).",
  })
  matchVici: boolean;

  @Field({
    defaultValue: false,
    description: "Update Brain leads that already exist (else they are reported and left alone).",
  })
  updateExisting: boolean;

  @Field(() => Int, {
    nullable: true,
    description:
      "Fail the job once more than this many rows were bad (errors); what was imported before stays (roll it back). Default: no limit.",
  })
  maxErrors?: number | null;
}

@InputType()
export class StartSyncInput {
  @Field(() => SyncJobKind)
  kind: SyncJobKind;

  @Field(() => [String], {
    nullable: true,
    description:
      "Campaign ids (e.g. Auto2, Autodial), each within VICI_CAMPAIGNS (else BAD_USER_INPUT); none = VICI_CAMPAIGNS (unset: every campaign). Rows of lists without a vicidial_lists row are never read.",
  })
  campaigns?: string[] | null;

  @Field({ defaultValue: false, description: "Compute and report everything, write nothing." })
  dryRun: boolean;

  @Field(() => Int, { nullable: true, description: "At most this many source rows (test with 100 first)." })
  limit?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Rows per batch (default 5000): each batch is one short read and one commit.",
  })
  batchSize?: number | null;

  @Field({
    defaultValue: false,
    description: "VENDOR_CODES: replace a vendor code that holds something else (its before-value is kept).",
  })
  overwrite: boolean;

  @Field(() => CsvImportInput, { nullable: true })
  csv?: CsvImportInput | null;
}

/**
 * The counters a job and its progress events share. Every source row a job processed counts
 * in exactly one of the others: processed = created + updated + linked + skipped + unchanged
 * + conflicts + errors, for every kind, dry runs included (a dry run counts what it would do).
 */
@ObjectType({
  description:
    "What a job did, row by row: processed = created + updated + linked + skipped + unchanged + conflicts + errors.",
})
abstract class JobCounters {
  @Field(() => SafeInt, {
    nullable: true,
    description: "Rows the job expects to process (FULL: both phases). Null until counted.",
  })
  total: number | null;

  @Field(() => SafeInt, {
    description:
      "Source rows handled so far: VICIdial rows (VICI_IMPORT, VENDOR_CODES; FULL: both phases'), CSV data rows (CSV_IMPORT), recorded changes undone (ROLLBACK). Always the sum of the other counters.",
  })
  processed: number;

  @Field(() => SafeInt, {
    description: "Rows that created a Brain lead (VICI_IMPORT: the first row of a new phone; CSV_IMPORT: a new lead).",
  })
  created: number;

  @Field(() => SafeInt, {
    description:
      "Rows that changed something: VICI_IMPORT a linked row that changed its Brain lead (status, last call, do-not-call); CSV_IMPORT an existing lead updated (updateExisting); VENDOR_CODES a vendor_lead_code written; ROLLBACK a lead removed (with the VICIdial row it was pushed as, when untouched since: a NOTICE issue each) or restored, a vendor code restored.",
  })
  updated: number;

  @Field(() => SafeInt, {
    description:
      "Rows linked to a lead: VICI_IMPORT a Vici row newly joined to a Brain lead (another row of a new phone, or a lead that had none of its rows); CSV_IMPORT a lead linked to the Vici rows that have its phone (matchVici).",
  })
  linked: number;

  @Field(() => SafeInt, {
    description:
      "Rows left alone for a reason, reported as SKIPPED (or CHANGED) issues (HELD issues are leads stored but held from calls — DNC, a recent call — in callVerdict's codes and words; they count where the lead does): no valid phone, a phone repeated in the file, in VICIdial without matchVici, in Brain without updateExisting; ROLLBACK a lead changed since the job, or removed from Brain only because the VICIdial row it was pushed as is kept (dialed or edited since, or outside the managed campaigns: marked so imports leave it alone); VICI_IMPORT a row a rollback kept. Also, unreported, VENDOR_CODES rows not linked to any Brain lead.",
  })
  skipped: number;

  @Field(() => SafeInt, {
    description:
      "Rows that needed nothing: already as the job would leave them (linked and current; the vendor code already written; a CSV row equal to its lead).",
  })
  unchanged: number;

  @Field(() => SafeInt, {
    description:
      "Rows with a conflict, each reported (CONFLICT issues): a vendor_lead_code another Brain lead holds as its external_lead_id (the row's lead is still imported, with an id of its own), or (VENDOR_CODES) a row holding another code, left alone.",
  })
  conflicts: number;

  @Field(() => SafeInt, {
    description: "Rows refused as bad input, each reported (ERROR issues): CSV rows that are not a valid lead.",
  })
  errors: number;
}

@ObjectType({ description: "A bulk sync job (persisted in Brain; survives restarts)." })
export class SyncJob extends JobCounters {
  @Field(() => ID)
  id: string;

  @Field(() => SyncJobKind)
  kind: SyncJobKind;

  @Field(() => SyncJobState)
  state: SyncJobState;

  @Field()
  dryRun: boolean;

  @Field(() => JSONObject, {
    description: "As started; phone numbers (e.g. in csv.content) masked unless the key has the pii scope.",
  })
  @MaskPii("text")
  options: Record<string, unknown>;

  @Field(() => String, { nullable: true })
  phase: string | null;

  @Field(() => String, { nullable: true })
  @MaskPii("text")
  error: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "WAITING: the database the job cannot reach, and its error. It is retried with backoff and resumes from its checkpoint.",
  })
  @MaskPii("text")
  waitReason: string | null;

  @Field(() => Date, { nullable: true, description: "WAITING: since when (it ends FAILED after JOB_MAX_WAIT_MS)." })
  waitingSince: Date | null;

  @Field(() => String, { nullable: true })
  startedBy: string | null;

  @Field(() => ID, { nullable: true, description: "ROLLBACK: the job it undoes." })
  parentJobId: string | null;

  @Field(() => ID, { nullable: true, description: "The ROLLBACK job that undid this one." })
  rolledBackBy: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "VENDOR_CODES: the longest single statement on vicidial_list (its table-lock time), ms.",
  })
  longestStatementMs: number | null;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;

  @Field(() => String, { description: "The job's report as CSV (issues), a path on this server." })
  reportUrl: string;
}

@ObjectType({
  description:
    "A row a job reports: a conflict, a bad CSV row, a row left alone (kind CONFLICT, ERROR, SKIPPED, CHANGED: each in its counter), or a NOTICE, in no counter (ROLLBACK: a VICIdial row deleted; VICI_IMPORT: a row loaded straight into VICIdial after the cut-over).",
})
export class SyncJobIssue {
  @Field(() => ID)
  id: string;

  @Field()
  kind: string;

  @Field(() => Int, { nullable: true, description: "CSV line number (1 = header)." })
  line: number | null;

  @Field(() => SafeInt, { nullable: true })
  viciLeadId: number | null;

  @Field(() => ID, { nullable: true })
  brainLeadId: string | null;

  @Field()
  @MaskPii("text")
  reason: string;
}

@ObjectType({ description: "Live progress of a sync job." })
export class SyncJobProgress extends JobCounters {
  @Field(() => ID)
  jobId: string;

  @Field(() => SyncJobKind)
  kind: SyncJobKind;

  @Field(() => SyncJobState)
  state: SyncJobState;

  @Field(() => String, { nullable: true })
  phase: string | null;

  @Field(() => Int, { nullable: true })
  rowsPerSecond: number | null;

  @Field(() => Int, { nullable: true })
  etaSeconds: number | null;

  @Field(() => String, { nullable: true })
  @MaskPii("text")
  error: string | null;

  @Field(() => String, { nullable: true, description: "WAITING: the database the job cannot reach, and its error." })
  @MaskPii("text")
  waitReason: string | null;

  @Field({ description: "true on the last event (SUCCEEDED, FAILED or CANCELLED)." })
  final: boolean;
}

@ArgsType()
export class SyncJobsArgs {
  @Field(() => [SyncJobState], { nullable: true })
  states?: SyncJobState[] | null;

  @Field(() => [SyncJobKind], { nullable: true })
  kinds?: SyncJobKind[] | null;

  @Field(() => Int, { nullable: true })
  first?: number | null;

  @Field(() => ID, { nullable: true, description: "Jobs older than this one (newest first)." })
  after?: string | null;
}

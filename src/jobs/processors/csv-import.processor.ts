import { createReadStream } from "node:fs";
import { pipeline, Readable, Transform, type TransformCallback } from "node:stream";
import { parse, type CsvError, type Info } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { TextDecoder } from "node:util";
import type { EntityManager } from "typeorm";
import { GatewayError } from "../../errors/errors";
import { validateCreateLead } from "../../services/lead-input";
import type { PlannedLeadResult } from "../../services/lead-intake.service";
import { heldIssue } from "./import-merge";
import type { ProcessorDeps } from "./processor-deps";
import {
  SyncJobKind,
  type CsvOptions,
  type JobCounters,
  type JobProcessor,
  type JobRunContext,
  type SyncJobIssueInput,
} from "../sync-job.types";

/** The last CSV line fully handled (a record's last line), and the data rows read up to it. */
export interface CsvCheckpoint {
  line: number;
  rows: number;
}

/**
 * Every row goes through createLead (~5 VICIdial reads, ~15 ms here): a batch holds its
 * phones' locks and one Brain transaction for its whole length, and renews the job's lease
 * (JOB_LEASE_MS) only at its start, so batches stay short (~3 s at that pace).
 */
export const MAX_CSV_BATCH = 200;

/**
 * The lead fields a CSV column can fill and the header names that fill them by default.
 * Headers (and csv.mapping's keys and targets) compare without case, spaces, `_`, `-`, `.`.
 */
export const CSV_FIELDS = {
  phone: ["phone", "phone_number", "phonenumber", "mobile", "cell"],
  firstName: ["first_name", "firstname", "first"],
  lastName: ["last_name", "lastname", "last"],
  email: ["email", "e-mail"],
  address1: ["address", "address1", "street"],
  address2: ["address2"],
  city: ["city"],
  state: ["state", "province_code"],
  postalCode: ["zip", "zipcode", "postal_code", "postcode"],
  source: ["source", "source_id", "vendor"],
  campaignId: ["campaign", "campaign_id"],
  listId: ["list", "list_id"],
} as const;
export type CsvField = keyof typeof CSV_FIELDS;

export const headerKey = (name: string): string =>
  name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_.-]+/g, "");

const FIELD_BY_KEY = new Map<string, CsvField>(
  (Object.entries(CSV_FIELDS) as [CsvField, readonly string[]][]).flatMap(([field, names]) =>
    [field, ...names].map((n) => [headerKey(n), field] as const),
  ),
);

/** A job-level problem (bad mapping, no phone column, no header): the job fails before any row. */
export class CsvImportError extends Error {}

/** Which column fills which field. */
export interface CsvHeader {
  line: number;
  names: string[];
  fieldOf: (CsvField | null)[];
}

/**
 * Resolves csv.mapping against a header: explicit entries first (an unknown column, an unknown
 * target or two columns for one field fail the job), then the default names for the rest (the
 * first column of a field wins). A column mapped to "" or null is ignored.
 */
export function buildHeader(names: string[], line: number, mapping: CsvOptions["mapping"]): CsvHeader {
  const fieldOf: (CsvField | null)[] = names.map(() => null);
  const decided = new Set<number>();
  const taken = new Map<CsvField, string>();
  const indexOf = new Map<string, number>();
  names.forEach((n, i) => {
    if (!indexOf.has(headerKey(n))) indexOf.set(headerKey(n), i);
  });
  for (const [column, target] of Object.entries(checkMapping(mapping))) {
    const i = indexOf.get(headerKey(column));
    if (i === undefined) {
      throw new CsvImportError(
        `csv.mapping names column "${column}", which the CSV header (line ${line}) does not have: ${names.map((n) => `"${n}"`).join(", ")}`,
      );
    }
    if (decided.has(i)) throw new CsvImportError(`csv.mapping names column "${names[i]}" twice`);
    decided.add(i);
    if (target === null) continue;
    const other = taken.get(target);
    if (other !== undefined)
      throw new CsvImportError(`csv.mapping maps both "${other}" and "${names[i]}" to ${target}`);
    taken.set(target, names[i]);
    fieldOf[i] = target;
  }
  names.forEach((n, i) => {
    if (decided.has(i)) return;
    const field = FIELD_BY_KEY.get(headerKey(n));
    if (field && !taken.has(field)) {
      taken.set(field, n);
      fieldOf[i] = field;
    }
  });
  if (!taken.has("phone")) {
    throw new CsvImportError(
      `the CSV has no phone column (header on line ${line}: ${names.map((n) => `"${n}"`).join(", ")}): name one phone, phone_number, mobile or cell, or map it with csv.mapping, e.g. {"Tel": "phone"}`,
    );
  }
  return { line, names, fieldOf };
}

/** csv.mapping's targets as fields (null: ignore the column); an unknown target fails the job. */
export function checkMapping(mapping: CsvOptions["mapping"]): Record<string, CsvField | null> {
  const out: Record<string, CsvField | null> = {};
  for (const [column, target] of Object.entries(mapping ?? {})) {
    if (target === null || target === undefined || (typeof target === "string" && target.trim() === "")) {
      out[column] = null;
      continue;
    }
    const field = typeof target === "string" ? FIELD_BY_KEY.get(headerKey(target)) : undefined;
    if (!field) {
      throw new CsvImportError(
        `csv.mapping maps "${column}" to ${JSON.stringify(target)}, which is not a lead field (${Object.keys(CSV_FIELDS).join(", ")}; "" ignores a column)`,
      );
    }
    out[column] = field;
  }
  return out;
}

/** What the reader yields, in line order: the header, data records, and records it could not read. */
export type CsvItem =
  | { kind: "header"; line: number; endLine: number; cells: string[] }
  | { kind: "record"; line: number; endLine: number; cells: string[] }
  | { kind: "unreadable"; line: number; endLine: number; reason: string };

/** How a CSV file's bytes are read: UTF-8 (the default), or Latin-1 (Windows-1252, what spreadsheets export as "Latin-1"). */
export type CsvEncoding = "utf-8" | "latin1";

/**
 * The most lines one record may span. A quoted address may hold a line break or two; a quote
 * that is never closed swallows every line up to the next quote in the file instead. Past
 * this, the record is taken for such a runaway (so is a record spanning lines with more
 * fields than the header): its first line is reported, and the lines it swallowed are read
 * again one by one.
 */
export const MAX_RECORD_LINES = 10;

/**
 * Streams a CSV: bytes decoded (`encoding`), line breaks normalised (CRLF, CR → LF), then
 * csv-parse. Line numbers are the file's (header = 1, blank lines count), a record's being the
 * line it starts on — also when a quoted field spans lines. A record csv-parse cannot read, or
 * a runaway one (see MAX_RECORD_LINES), is yielded as `unreadable` at its first line and the
 * lines after it are read again, each on its own; lines the parser would silently lose are
 * reported too. Every line with content ends up in exactly one item.
 */
export async function* readCsv(source: Readable, encoding: CsvEncoding = "utf-8"): AsyncGenerator<CsvItem> {
  const lines = new LineNormalizer(encoding);
  const skipped: { item: CsvItem; raw: string | undefined }[] = [];
  const parser = parse({
    bom: true,
    // Leading blanks only: csv-parse's rtrim drops the rest of its buffer on a non-blank
    // byte after a closing quote (with skip_records_with_error). Values are trimmed below.
    ltrim: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    raw: true,
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      const end = Number((err as { lines?: number } | undefined)?.lines ?? lines.line);
      const start = end - innerBreaks(raw);
      const reason =
        err?.code === "CSV_QUOTE_NOT_CLOSED"
          ? `a quoted field opened on line ${start} is never closed`
          : `not readable as CSV: ${err?.message ?? "unknown error"}`;
      skipped.push({ item: { kind: "unreadable", line: start, endLine: end, reason }, raw });
      return undefined;
    },
  });
  pipeline(source, lines, parser, () => undefined); // errors surface through the iteration below
  let header: string[] | null = null;
  let lastEnd = 0;
  const take = function* (before: number): Generator<CsvItem> {
    skipped.sort((a, b) => a.item.line - b.item.line);
    while (skipped.length && skipped[0].item.line < before) {
      const { item, raw } = skipped.shift()!;
      lastEnd = Math.max(lastEnd, item.endLine);
      if (item.kind === "unreadable" && item.endLine > item.line && raw !== undefined)
        yield* runaway(item.line, item.endLine, raw, item.reason);
      else yield item;
    }
  };
  try {
    for await (const r of parser as AsyncIterable<{ record: string[]; info: Info; raw: string }>) {
      const end = r.info.lines;
      const line = end - innerBreaks(r.raw);
      yield* take(line);
      lastEnd = Math.max(lastEnd, end);
      if (!header) {
        header = r.record;
        yield { kind: "header", line, endLine: end, cells: r.record };
        continue;
      }
      const span = end - line + 1;
      if (span > MAX_RECORD_LINES) {
        yield* runaway(
          line,
          end,
          r.raw,
          `a quoted field opened on line ${line} runs to line ${end} (a record may span at most ${MAX_RECORD_LINES} lines)`,
        );
      } else if (span > 1 && r.record.length > header.length) {
        yield* runaway(
          line,
          end,
          r.raw,
          `a quoted field opened on line ${line} runs to line ${end}, leaving ${r.record.length} fields where the header has ${header.length}`,
        );
      } else {
        yield { kind: "record", line, endLine: end, cells: r.record };
      }
    }
    yield* take(Infinity);
    if (lines.lastContentLine > lastEnd) {
      yield {
        kind: "unreadable",
        line: lastEnd + 1,
        endLine: lines.lastContentLine,
        reason: `lines ${lastEnd + 1}-${lines.lastContentLine} could not be read as CSV`,
      };
    }
  } finally {
    parser.destroy();
    source.destroy();
  }
}

/**
 * A record that swallowed lines it should not have (lines `first`-`last`, its raw text): its
 * first line is reported, every line after it is read again on its own, so no row it
 * swallowed is lost or reported as part of another.
 */
function* runaway(first: number, last: number, raw: string, why: string): Generator<CsvItem> {
  const after = first + 1 === last ? `line ${last} was` : `lines ${first + 1}-${last} were`;
  yield {
    kind: "unreadable",
    line: first,
    endLine: first,
    reason: `${why}: line ${first} is not imported; ${after} read on their own`,
  };
  const rows = raw
    .replace(/^(?:[ \t]*\n)+/, "")
    .replace(/\n$/, "")
    .split("\n");
  for (let i = 1; i < rows.length; i++) {
    const line = first + i;
    if (!/\S/.test(rows[i])) continue;
    try {
      const [cells] = parseSync(rows[i], { ltrim: true, relax_quotes: true, relax_column_count: true }) as string[][];
      if (cells) yield { kind: "record", line, endLine: line, cells };
    } catch (e) {
      const reason =
        (e as CsvError).code === "CSV_QUOTE_NOT_CLOSED"
          ? `a quoted field opened on line ${line} is not closed on it`
          : `not readable as CSV: ${(e as Error).message}`;
      yield { kind: "unreadable", line, endLine: line, reason };
    }
  }
}

/** Line breaks inside a raw record: its blank lead-in lines and its own terminator excluded. */
function innerBreaks(raw: string | undefined): number {
  if (!raw) return 0;
  const body = raw.replace(/^(?:[ \t]*\n)+/, "").replace(/\n$/, "");
  let n = 0;
  for (let i = body.indexOf("\n"); i !== -1; i = body.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * Bytes in (`encoding`; bytes that are not UTF-8 become U+FFFD, which no row carries into a
 * lead: see prepare), text with LF line breaks out; counts lines and remembers the last
 * non-blank one.
 */
class LineNormalizer extends Transform {
  private readonly decoder: TextDecoder;
  private pendingCr = false;
  private lineHasContent = false;
  /** The line being read (1-based). */
  line = 1;
  lastContentLine = 0;

  constructor(encoding: CsvEncoding) {
    super();
    this.decoder = new TextDecoder(encoding);
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
    this.emitText(typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true }), false);
    done();
  }

  override _flush(done: TransformCallback): void {
    this.emitText(this.decoder.decode(), true);
    if (this.lineHasContent) this.lastContentLine = this.line;
    done();
  }

  private emitText(s: string, end: boolean): void {
    let text = (this.pendingCr ? "\r" : "") + s;
    this.pendingCr = !end && text.endsWith("\r");
    if (this.pendingCr) text = text.slice(0, -1);
    text = text.replace(/\r\n?/g, "\n");
    if (!text) return;
    const parts = text.split("\n");
    for (let i = 0; i < parts.length - 1; i++) {
      if (this.lineHasContent || /\S/.test(parts[i])) this.lastContentLine = this.line;
      this.line++;
      this.lineHasContent = false;
    }
    if (/\S/.test(parts[parts.length - 1])) this.lineHasContent = true;
    this.push(text);
  }
}

/** A data row, decided before its batch: a lead to create, or a row to report. */
type PreparedRow =
  | { kind: "lead"; line: number; endLine: number; input: Record<string, unknown> }
  | { kind: "error"; line: number; endLine: number; reason: string; data?: unknown }
  | { kind: "duplicate"; line: number; endLine: number; firstLine: number };

/** A cell as a lead value: trimmed, a line break (or tab) inside a quoted field becomes a space. */
const clean = (v: string | undefined): string => (v ?? "").replace(/[ \t]*[\r\n\t]+[ \t]*/g, " ").trim();

function isBadRow(e: unknown): e is GatewayError {
  return e instanceof GatewayError && (e.code === "BAD_USER_INPUT" || e.code === "INVALID_PHONE");
}

/**
 * Option B: a CSV file into Brain, each row through the same create path as createLead
 * (validation, per-phone lock, VICIdial checks, outbox). Streams the file; a bad row is
 * reported with its line and reason and the rest goes on; a phone seen earlier in the file is
 * reported as a duplicate. `matchVici` links phones VICIdial has (else they are skipped),
 * `updateExisting` merges into leads Brain has (else they are skipped). Batches commit with
 * the checkpoint (the last line handled); a resumed job reads the file again from the top and
 * skips what its checkpoint covers. Re-running the same file changes nothing.
 */
export class CsvImportProcessor implements JobProcessor {
  readonly kind = SyncJobKind.CSV_IMPORT;

  constructor(private readonly deps: Pick<ProcessorDeps, "leadCreation" | "pusher">) {}

  async run(ctx: JobRunContext<CsvCheckpoint>): Promise<void> {
    const { job } = ctx;
    const csv = job.options.csv;
    if (!csv || (!csv.path && !csv.content)) throw new CsvImportError("a CSV_IMPORT job needs csv.path or csv.content");
    checkMapping(csv.mapping); // a bad target fails the job before the file is even opened
    const resumeAfter = ctx.checkpoint?.line ?? 0;
    const limit = job.options.limit;
    const batchSize = Math.min(job.options.batchSize, MAX_CSV_BATCH);
    await ctx.phase(resumeAfter ? "importing (resumed)" : "importing");

    const region = ctx.config.phone.defaultRegion;
    /** phone → the line that holds it first (rebuilt from the top on resume). */
    const firstLine = new Map<string, number>();
    let header: CsvHeader | null = null;
    let rows = 0;
    let batch: PreparedRow[] = [];
    // Bad rows so far (a resumed job's committed ones included), against csv.maxErrors.
    let errors = job.errors;
    let rowsEnd = 0;
    const commit = async (upTo: number) => {
      errors += await this.commit(ctx, batch, upTo);
      batch = [];
      const max = csv.maxErrors ?? null;
      if (max !== null && errors > max) {
        throw new CsvImportError(
          `more than ${max} bad rows (maxErrors): ${errors} by line ${rowsEnd}; stopped there. What was imported stays: roll it back, or fix the file and import it again`,
        );
      }
    };

    for await (const item of readCsv(openSource(csv), csv.encoding ?? "utf-8")) {
      if (item.kind === "header") {
        header = buildHeader(
          item.cells.map((c) => clean(c)),
          item.line,
          csv.mapping,
        );
        continue;
      }
      if (!header)
        throw new CsvImportError(
          `line ${item.line}, before the header: ${item.kind === "unreadable" ? item.reason : "not readable as CSV"}`,
        );
      if (item.kind === "record" && item.cells.every((c) => clean(c) === "")) continue; // ",,," is a blank line
      if (limit !== null && rows >= limit) break;
      rows++;
      const row = prepare(item, header, region, firstLine);
      if (item.endLine <= resumeAfter) continue;
      batch.push(row);
      rowsEnd = row.endLine;
      if (batch.length >= batchSize) await commit(rows);
    }
    if (!header) throw new CsvImportError("the CSV is empty: it has no header line");
    if (batch.length) await commit(rows);
  }

  /** One batch in one Brain transaction with its counters, issues and checkpoint; returns its bad rows. */
  private async commit(ctx: JobRunContext<CsvCheckpoint>, batch: PreparedRow[], rows: number): Promise<number> {
    const { job } = ctx;
    const csv = job.options.csv!;
    const dryRun = job.dryRun;
    let queued = false;
    let errors = 0;
    await ctx.batch(async (m) => {
      const deltas: Partial<JobCounters> = {
        processed: batch.length,
        created: 0,
        linked: 0,
        updated: 0,
        skipped: 0,
        unchanged: 0,
        conflicts: 0,
        errors: 0,
      };
      const issues: SyncJobIssueInput[] = [];
      const add = (k: keyof JobCounters) => (deltas[k] = (deltas[k] ?? 0) + 1);
      if (!dryRun) await lockPhones(m, batch, ctx.config.phone.defaultRegion);
      for (const row of batch) {
        if (row.kind === "error") {
          add("errors");
          issues.push({ kind: "ERROR", line: row.line, reason: row.reason, data: row.data });
          continue;
        }
        if (row.kind === "duplicate") {
          add("skipped");
          issues.push({
            kind: "SKIPPED",
            line: row.line,
            reason: `duplicate: the phone is already on line ${row.firstLine}`,
          });
          continue;
        }
        let r: PlannedLeadResult;
        try {
          r = await this.deps.leadCreation.createLead(row.input, {
            origin: "csv_import",
            jobId: job.id,
            matchVici: csv.matchVici,
            updateExisting: csv.updateExisting,
            dryRun,
            manager: m,
          });
        } catch (e) {
          if (!isBadRow(e)) throw e;
          add("errors");
          issues.push({
            kind: "ERROR",
            line: row.line,
            reason: e.message,
            data: { code: e.code, field: e.extensions.field ?? null },
          });
          continue;
        }
        const brainLeadId = r.lead?.id ?? null;
        switch (r.effect) {
          case "CREATED":
          case "LINKED": {
            queued = !dryRun;
            // One counter per row: a row with conflicts (each reported) counts there.
            const conflicts = r.conflicts ?? [];
            add(conflicts.length ? "conflicts" : r.effect === "CREATED" ? "created" : "linked");
            for (const c of conflicts)
              issues.push({
                kind: "CONFLICT",
                line: row.line,
                brainLeadId,
                viciLeadId: c.viciLeadId,
                reason: c.reason,
              });
            // Stored, but held from calls (DNC, a recent call: pushed later or never), in callVerdict's words.
            if (r.callReasons?.length)
              issues.push(heldIssue(r.callReasons, r.viciAction, { line: row.line, brainLeadId }));
            break;
          }
          case "UPDATED":
            queued = !dryRun; // a linked lead's change goes to its Vici rows
            add("updated");
            break;
          case "UNCHANGED":
            add("unchanged");
            break;
          case "SKIPPED_EXISTING":
            add("skipped");
            issues.push({
              kind: "SKIPPED",
              line: row.line,
              brainLeadId,
              reason:
                "already in Brain: left alone (updateExisting: true updates it; on the command line --update-existing)",
            });
            break;
          case "SKIPPED_IN_VICI":
            add("skipped");
            issues.push({
              kind: "SKIPPED",
              line: row.line,
              viciLeadId: viciLeadIdIn(r.reasons[0]),
              reason: r.reasons[0],
            });
            break;
        }
      }
      errors = deltas.errors ?? 0;
      return { deltas, checkpoint: { line: batch[batch.length - 1].endLine, rows }, issues };
    });
    // The batch's pushes and vendor codes are committed now: deliver them.
    if (queued) this.deps.pusher.kick();
    return errors;
  }
}

function openSource(csv: CsvOptions): Readable {
  if (csv.path) return createReadStream(csv.path);
  return Readable.from([Buffer.from(csv.content ?? "", "utf8")]);
}

/** A record → a lead to create, a bad row (with its reason) or a duplicate of an earlier line. */
function prepare(
  item: Exclude<CsvItem, { kind: "header" }>,
  header: CsvHeader,
  region: Parameters<typeof validateCreateLead>[1],
  firstLine: Map<string, number>,
): PreparedRow {
  const at = { line: item.line, endLine: item.endLine };
  if (item.kind === "unreadable") return { kind: "error", ...at, reason: item.reason };
  if (item.cells.some((c) => c.includes("\uFFFD"))) {
    // Never written into either system: the byte was lost, and VICIdial would keep "?" for good.
    return {
      kind: "error",
      ...at,
      reason:
        'bytes that are not UTF-8 (or a U+FFFD): save the file as UTF-8, or import it as Latin-1 (--encoding latin1, csv.encoding "latin1")',
    };
  }
  if (item.cells.length !== header.names.length) {
    return { kind: "error", ...at, reason: `${item.cells.length} fields where the header has ${header.names.length}` };
  }
  const input: Record<string, unknown> = {};
  header.fieldOf.forEach((field, i) => {
    const v = clean(item.cells[i]);
    if (field === null || v === "") return;
    input[field] = field === "listId" && /^[0-9]{1,15}$/.test(v) ? Number(v) : v;
  });
  let phone: string;
  try {
    phone = validateCreateLead(input, region).phone;
  } catch (e) {
    if (!isBadRow(e)) throw e;
    const field = e.extensions.field ?? null;
    const column = field ? header.names[header.fieldOf.indexOf(field as CsvField)] : undefined;
    return {
      kind: "error",
      ...at,
      reason:
        column !== undefined && headerKey(column) !== headerKey(field!)
          ? `${e.message} (column "${column}")`
          : e.message,
      data: { code: e.code, field, column: column ?? null },
    };
  }
  const first = firstLine.get(phone);
  if (first !== undefined) return { kind: "duplicate", ...at, firstLine: first };
  firstLine.set(phone, item.line);
  return { kind: "lead", ...at, input };
}

/**
 * Takes the per-phone locks of a batch in one sorted pass (createLead takes each again,
 * re-entrantly): two jobs never wait on each other's phones in opposite orders.
 */
async function lockPhones(
  m: EntityManager,
  batch: PreparedRow[],
  region: Parameters<typeof validateCreateLead>[1],
): Promise<void> {
  const phones = batch
    .filter((r): r is Extract<PreparedRow, { kind: "lead" }> => r.kind === "lead")
    .map((r) => validateCreateLead(r.input, region).phone);
  if (phones.length === 0) return;
  await m.query(
    `SELECT pg_advisory_xact_lock(s.k) FROM
       (SELECT DISTINCT hashtextextended('lead-phone:' || p, 0) AS k FROM unnest($1::text[]) AS p ORDER BY 1) AS s`,
    [phones],
  );
}

function viciLeadIdIn(reason: string | undefined): number | null {
  const m = /Vici lead(?:\(s\))? (\d+)|as lead\(s\) (\d+)/.exec(reason ?? "");
  return m ? Number(m[1] ?? m[2]) : null;
}

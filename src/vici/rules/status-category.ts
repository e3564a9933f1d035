/**
 * Status categories: what a VICIdial status code means, read from VICIdial's own status tables
 * (`vicidial_statuses` = system statuses, `vicidial_campaign_statuses` = a campaign's own;
 * FACTS.md §3) instead of a hard-coded list of codes, so campaign-specific dispositions
 * (e.g. a campaign's "SALE2" with sale='Y') land in the right category.
 */

/** What a lead's current VICIdial status means for the business. */
export enum StatusCategory {
  /** Never dialed since it was loaded (status NEW). */
  NEW = "NEW",
  /** A callback is scheduled or requested (scheduled_callback flag: CALLBK, CBHOLD, QCFAIL). */
  CALLBACK = "CALLBACK",
  /** Converted (sale flag). */
  SALE = "SALE",
  /** Do not call (dnc flag: DNC, DNCL, DNCC). */
  DNC = "DNC",
  /** Answered, then dropped or failed before an agent took the call (DROP, XDROP, PDROP, inbound drops). */
  DROP = "DROP",
  /** Not reached: ring-no-answer or a temporary carrier failure (NA, N, ADCT). */
  NO_ANSWER = "NO_ANSWER",
  /** Line busy (B, AB). */
  BUSY = "BUSY",
  /** An answering machine or voicemail answered (answering_machine flag, A, AA, AM, AL). */
  ANSWERING_MACHINE = "ANSWERING_MACHINE",
  /** Reached and not interested (not_interested flag: NI). */
  NOT_INTERESTED = "NOT_INTERESTED",
  /** The number cannot be worked: disconnected, fax (unworkable flag: ADC, DC, AFAX). */
  UNWORKABLE = "UNWORKABLE",
  /** A person was reached, with no more specific outcome (human_answered or customer_contact). */
  CONTACTED = "CONTACTED",
  /** Being dialed or waiting for an agent right now (QUEUE, INCALL, PU). */
  IN_PROGRESS = "IN_PROGRESS",
  /** Anything else, including codes that are in neither status table. */
  OTHER = "OTHER",
}

/** The flags of one status row (both status tables have the same ones). */
export interface StatusFlags {
  status: string;
  statusName: string | null;
  humanAnswered: boolean;
  sale: boolean;
  dnc: boolean;
  customerContact: boolean;
  notInterested: boolean;
  unworkable: boolean;
  scheduledCallback: boolean;
  completed: boolean;
  answeringMachine: boolean;
}

/** A row of either status table: campaignId null = system status (vicidial_statuses). */
export interface StatusRow extends StatusFlags {
  campaignId: string | null;
}

/** What `StatusCatalog.resolve` answers for one lead's status. */
export interface ResolvedStatus {
  code: string;
  name: string | null;
  category: StatusCategory;
  /** False when the code is in neither status table (e.g. DONEM, DISPO, INBND set by code). */
  known: boolean;
}

/** A raw vicidial_statuses / vicidial_campaign_statuses row → StatusRow ('Y' = true, 'N'/NULL = false). */
export function statusRowFromDb(raw: Record<string, unknown>, campaignId: string | null): StatusRow {
  if (typeof raw.status !== "string" || raw.status === "") {
    throw new TypeError(`status row without a status code: ${JSON.stringify(raw)}`);
  }
  const yes = (column: string) => {
    const v = raw[column];
    return v === true || v === 1 || (typeof v === "string" && v.toUpperCase() === "Y");
  };
  const name = raw.status_name;
  return {
    status: raw.status,
    statusName: typeof name === "string" && name !== "" ? name : null,
    humanAnswered: yes("human_answered"),
    sale: yes("sale"),
    dnc: yes("dnc"),
    customerContact: yes("customer_contact"),
    notInterested: yes("not_interested"),
    unworkable: yes("unworkable"),
    scheduledCallback: yes("scheduled_callback"),
    completed: yes("completed"),
    answeringMachine: yes("answering_machine"),
    campaignId,
  };
}

// Codes whose meaning VICIdial expresses by the code alone (their flags are all N, or say
// only "human answered", which would make them look like a conversation took place).
const NEW_CODES = new Set(["NEW"]);
/** Answered, but nobody talked to the customer: outbound drops, inbound drops, IVR drop, channel error after answer. */
const DROP_CODES = new Set(["DROP", "XDROP", "PDROP", "IVRXFR", "LRERR", "TIMEOT", "AFTHRS", "NANQUE", "MAXCAL"]);
/** NA = dialer's no answer, N = agent's "No Answer", ADCT = temporary carrier failure (retryable, not unworkable). */
const NO_ANSWER_CODES = new Set(["NA", "N", "ADCT"]);
/** QUEUE/INCALL = being called, PU = picked up and not yet routed to an agent. */
const IN_PROGRESS_CODES = new Set(["QUEUE", "INCALL", "PU"]);
const BUSY_CODES = new Set(["B", "AB"]);
/** AA (machine detection) has answering_machine='N' in the defaults, so the code list is needed. */
const ANSWERING_MACHINE_CODES = new Set(["A", "AA", "AM", "AL"]);

/** The category of one status row: the rule, first match wins. */
export function categorize(flags: StatusFlags): StatusCategory {
  const code = flags.status.toUpperCase();
  // DNC first: a do-not-call status must never be hidden behind another category, whatever
  // else it says (VICIdial's DNC status also has human_answered and completed).
  if (flags.dnc) return StatusCategory.DNC;
  // A sale is final and is what reports count; SALE also has human_answered/completed.
  if (flags.sale) return StatusCategory.SALE;
  // A scheduled callback is a commitment to call back, more specific than "contacted"
  // (CALLBK/CBHOLD/QCFAIL also have human_answered and customer_contact).
  if (flags.scheduledCallback) return StatusCategory.CALLBACK;
  // Dialer states whose flags say nothing (or only human_answered): decided by the code.
  if (NEW_CODES.has(code)) return StatusCategory.NEW;
  // Drops have human_answered='Y' but nobody spoke to the customer: not CONTACTED.
  if (DROP_CODES.has(code)) return StatusCategory.DROP;
  if (NO_ANSWER_CODES.has(code)) return StatusCategory.NO_ANSWER;
  if (IN_PROGRESS_CODES.has(code)) return StatusCategory.IN_PROGRESS;
  if (BUSY_CODES.has(code)) return StatusCategory.BUSY;
  // Machines: the flag (campaign statuses can set it) or VICIdial's machine codes.
  if (flags.answeringMachine || ANSWERING_MACHINE_CODES.has(code)) return StatusCategory.ANSWERING_MACHINE;
  // Not interested before unworkable/contacted: NI also has human_answered and customer_contact.
  if (flags.notInterested) return StatusCategory.NOT_INTERESTED;
  // Disconnected numbers and faxes (ADC, DC, AFAX): no point dialing again.
  if (flags.unworkable) return StatusCategory.UNWORKABLE;
  // Someone answered and nothing more specific applies (DEC, NP, XFER, RQXFER, ...).
  if (flags.humanAnswered || flags.customerContact) return StatusCategory.CONTACTED;
  // Everything else (PM, ERI, LSMERG, QVMAIL, surveys...): no claim about the outcome.
  return StatusCategory.OTHER;
}

/**
 * Both status tables, resolved the way VICIdial resolves a lead's status: a campaign status
 * (same code, the lead's campaign; campaign ids compared case-insensitively) wins over the
 * system status. Status codes are matched case-insensitively too, like the tables' _ci
 * collation does (`status` is their key, so 'na' and 'NA' cannot both exist).
 */
export class StatusCatalog {
  private readonly system = new Map<string, StatusRow>();
  /** campaign id (lower case) → code (upper case) → row */
  private readonly byCampaign = new Map<string, Map<string, StatusRow>>();
  private readonly categories = new Map<StatusRow, StatusCategory>();

  constructor(rows: StatusRow[]) {
    for (const row of rows) {
      this.categories.set(row, categorize(row));
      const code = row.status.toUpperCase();
      if (row.campaignId === null) {
        this.system.set(code, row);
      } else {
        const campaign = row.campaignId.toLowerCase();
        let codes = this.byCampaign.get(campaign);
        if (!codes) this.byCampaign.set(campaign, (codes = new Map()));
        codes.set(code, row);
      }
    }
  }

  /**
   * A catalog that knows only the dnc flag of each status (what the call verdict's facts carry:
   * system codes, and campaign id → code): its isDnc answers as the full tables' would.
   */
  static ofDncFlags(flags: {
    system: Record<string, boolean>;
    campaign: Record<string, Record<string, boolean>>;
  }): StatusCatalog {
    const row = (status: string, dnc: boolean, campaignId: string | null): StatusRow => ({
      status,
      statusName: null,
      humanAnswered: false,
      sale: false,
      dnc,
      customerContact: false,
      notInterested: false,
      unworkable: false,
      scheduledCallback: false,
      completed: false,
      answeringMachine: false,
      campaignId,
    });
    return new StatusCatalog([
      ...Object.entries(flags.system).map(([code, dnc]) => row(code, dnc, null)),
      ...Object.entries(flags.campaign).flatMap(([campaign, codes]) =>
        Object.entries(codes).map(([code, dnc]) => row(code, dnc, campaign)),
      ),
    ]);
  }

  /** A lead's status in its campaign (campaignId null/undefined: system statuses only). */
  resolve(code: string | null | undefined, campaignId: string | null | undefined): ResolvedStatus {
    const raw = code ?? "";
    const key = raw.toUpperCase();
    const row =
      (campaignId ? this.byCampaign.get(campaignId.toLowerCase())?.get(key) : undefined) ?? this.system.get(key);
    if (!row) return { code: raw, name: null, category: StatusCategory.OTHER, known: false };
    return { code: raw, name: row.statusName, category: this.categories.get(row)!, known: true };
  }

  /** A do-not-call status (DNC category: dnc='Y' in its campaign's definition, else the system's): the one test (rules/dnc.ts). */
  isDnc(code: string | null | undefined, campaignId: string | null | undefined): boolean {
    return this.resolve(code, campaignId).category === StatusCategory.DNC;
  }

  /**
   * Every status code (system and campaign ones) whose category, in the scope where it
   * applies, is one of `categories`: turns a category filter into `status IN (...)`.
   * Sorted, without duplicates, spelled as in the status tables.
   *
   * `campaignIds` given (non-empty): for each of those campaigns, its own statuses and every
   * system status it does not override. Null/undefined/empty: all system statuses plus all
   * campaigns' statuses (a lead may be in a campaign without statuses of its own, or in no
   * campaign at all, so the system statuses always apply somewhere).
   *
   * When a campaign status overrides a system status with a different category, the code is
   * returned for BOTH categories (e.g. system XYZ = SALE, campaign C's XYZ = NOT_INTERESTED:
   * XYZ is in codesIn([SALE]) and codesIn([NOT_INTERESTED]) when the scope covers both). A
   * flat `status IN (...)` list cannot say "XYZ, but only outside campaign C", and including
   * it errs on the side of showing a lead rather than hiding one (a DNC filter must not miss
   * any). Narrow with campaignIds for an exact answer: with campaignIds [C] only C's
   * meaning counts.
   */
  codesIn(categories: readonly StatusCategory[], campaignIds?: readonly string[] | null): string[] {
    const wanted = new Set(categories);
    const out = new Set<string>();
    const add = (row: StatusRow) => {
      if (wanted.has(this.categories.get(row)!)) out.add(row.status);
    };
    if (campaignIds && campaignIds.length > 0) {
      for (const campaign of new Set(campaignIds.map((c) => c.toLowerCase()))) {
        const own = this.byCampaign.get(campaign) ?? new Map<string, StatusRow>();
        for (const row of own.values()) add(row);
        for (const [code, row] of this.system) if (!own.has(code)) add(row);
      }
    } else {
      for (const row of this.system.values()) add(row);
      for (const codes of this.byCampaign.values()) for (const row of codes.values()) add(row);
    }
    return [...out].sort();
  }
}

/** A default system status: a StatusRow plus VICIdial's `selectable` (agent may pick it). */
export interface DefaultSystemStatus extends StatusRow {
  selectable: boolean;
}

/** `flags` = the 10 Y/N columns of FACTS.md §3 in its order: sel hum sale dnc cc ni unw cb comp am. */
function sys(status: string, statusName: string, flags: string): DefaultSystemStatus {
  if (!/^[YN]{10}$/.test(flags)) throw new Error(`bad flags for ${status}: ${flags}`);
  const f = [...flags].map((c) => c === "Y");
  return {
    status,
    statusName,
    selectable: f[0],
    humanAnswered: f[1],
    sale: f[2],
    dnc: f[3],
    customerContact: f[4],
    notInterested: f[5],
    unworkable: f[6],
    scheduledCallback: f[7],
    completed: f[8],
    answeringMachine: f[9],
    campaignId: null,
  };
}

/**
 * VICIdial's 47 install-default system statuses (FACTS.md §3), as inserted into
 * vicidial_statuses by the demo data and the tests. The survey labels are ours (FACTS gives
 * only "Survey …"). Flag columns: sel hum sale dnc cc ni unw cb comp am.
 */
export const DEFAULT_SYSTEM_STATUSES: DefaultSystemStatus[] = [
  sys("NEW", "New Lead", "NNNNNNNNNN"),
  sys("QUEUE", "Lead To Be Called", "NNNNNNNNNN"),
  sys("INCALL", "Lead Being Called", "NNNNNNNNNN"),
  sys("NA", "No Answer AutoDial", "NNNNNNNNNN"),
  sys("AA", "Answering Machine Auto", "NNNNNNNNNN"),
  sys("AM", "Answering Machine SentToMesg", "NNNNNNNNNY"),
  sys("AL", "Answering Machine Msg Played", "NNNNNNNNNY"),
  sys("A", "Answering Machine", "YNNNNNNNNY"),
  sys("AB", "Busy Auto", "NNNNNNNNNN"),
  sys("B", "Busy", "YNNNNNNNNN"),
  sys("AFAX", "Fax Machine Auto", "NNNNNNYNNN"),
  sys("ADC", "Disconnected Number Auto", "NNNNNNYNNN"),
  sys("ADCT", "Disconnected Number Temporary", "NNNNNNNNNN"),
  sys("DC", "Disconnected Number", "YNNNNNYNNN"),
  sys("DROP", "Agent Not Available", "NYNNNNNNNN"),
  sys("XDROP", "Agent Not Available IN", "NYNNNNNNNN"),
  sys("PDROP", "Outbound Pre-Routing Drop", "NYNNNNNNNN"),
  sys("PU", "Call Picked Up", "NNNNNNNNNN"),
  sys("PM", "Played Message", "NNNNNNNNNN"),
  sys("CALLBK", "Call Back", "YYNNYNNYNN"),
  sys("CBHOLD", "Call Back Hold", "NYNNYNNYNN"),
  sys("SALE", "Sale Made", "YYYNNNNNYN"),
  sys("DEC", "Declined Sale", "YYNNYNNNNN"),
  sys("NI", "Not Interested", "YYNNYYNNNN"),
  sys("NP", "No Pitch No Price", "YYNNNNNNNN"),
  sys("N", "No Answer", "YNNNNNNNNN"),
  sys("XFER", "Call Transferred", "YYNNYNNNNN"),
  sys("DNC", "DO NOT CALL", "YYNYNNNNYN"),
  sys("DNCL", "DO NOT CALL Hopper Sys Match", "NNNYNNNNYN"),
  sys("DNCC", "DO NOT CALL Hopper Camp Match", "NNNYNNNNYN"),
  sys("ERI", "Agent Error", "NNNNNNNNNN"),
  sys("LRERR", "Outbound Local Channel Res Err", "NYNNNNNNNN"),
  sys("IVRXFR", "Outbound drop to Call Menu", "NYNNNNNNNN"),
  sys("MLINAT", "Multi-Lead auto-alt set inactv", "NYNNNNNNYN"),
  sys("LSMERG", "Agent lead search old lead mrg", "NNNNNNNNNN"),
  sys("QCFAIL", "QC_FAIL_CALLBK", "NYNNYNNYNN"),
  sys("QVMAIL", "Queue Abandon Voicemail Left", "NNNNNNNNNN"),
  sys("RQXFER", "Re-Queue", "NYNNNNNNNN"),
  sys("TIMEOT", "Inbound Queue Timeout Drop", "NYNNNNNNNN"),
  sys("AFTHRS", "Inbound After Hours Drop", "NYNNNNNNNN"),
  sys("NANQUE", "Inbound No Agent No Queue Drop", "NYNNNNNNNN"),
  sys("MAXCAL", "Inbound Max Calls Drop", "NYNNNNNNNN"),
  sys("SVYEXT", "Survey sent to Extension", "NNNNNNNNNN"),
  sys("SVYVM", "Survey sent to Voicemail", "NNNNNNNNNN"),
  sys("SVYHU", "Survey Hungup", "NNNNNNNNNN"),
  sys("SVYREC", "Survey sent to Record", "NNNNNNNNNN"),
  sys("SVYCLM", "Survey Call Menu", "NYNNNNNNNN"),
];

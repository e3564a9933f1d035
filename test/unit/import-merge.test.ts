import {
  mergedLeadState,
  newLeadState,
  type BrainLeadState,
  type ImportContext,
} from "../../src/jobs/processors/import-merge";
import type { LeadMeta } from "../../src/entities/brain/lead.entity";
import { group, row } from "../helpers/import-groups";

/**
 * What a phone's Vici rows make of its Brain lead in an import (Phase 1), as decision tables:
 * which row is primary, which rows are linked, what meta says, and whether the lead changes.
 * A phone's rows may sit in several batches: merging batch after batch must end where one
 * batch with all the rows would.
 */
const NOW = new Date("2026-11-24T12:00:00Z");
const DAY = 86_400_000;
const ago = (d: number) => new Date(NOW.getTime() - d * DAY);
const ctx: ImportContext = { now: NOW, recentCallDays: 30, syncedAt: NOW.toISOString() };
const NO_FLAG = { doNotCall: false, doNotCallReason: null, doNotCallUntil: null };

/** meta without synced_at (the time of the run, not a decision). */
const linkOf = (m: LeadMeta) => ({
  primary: m.vici_lead_id,
  ids: m.vici_lead_ids,
  list: m.vici_list_id,
  campaign: m.vici_campaign_id,
  status: m.vici_status,
  lastCall: m.last_call_date,
});

describe("newLeadState: a phone Brain does not have yet", () => {
  it.each<[string, Parameters<typeof group>[0], ReturnType<typeof linkOf>, string | null]>([
    [
      "one row, never called",
      {},
      { primary: 1, ids: [1], list: 1001, campaign: "Auto2", status: "NA", lastCall: null },
      null,
    ],
    [
      "two rows: the most recently called is primary, not the highest lead_id",
      {
        rows: [row(1, { lastCallAt: ago(40), statusCode: "B" }), row(9, { listId: 2001, campaignId: "Autodial" })],
        lastCallAt: ago(40),
      },
      { primary: 1, ids: [1, 9], list: 1001, campaign: "Auto2", status: "B", lastCall: ago(40).toISOString() },
      null,
    ],
    [
      "rows never called: the highest lead_id is primary",
      { rows: [row(3), row(7, { listId: 2001, campaignId: "Autodial" })] },
      { primary: 7, ids: [3, 7], list: 2001, campaign: "Autodial", status: "NA", lastCall: null },
      null,
    ],
    [
      "the number's last call is on a row not linked (another campaign): it counts for last_call_date and recency",
      { rows: [row(1)], lastCallAt: ago(3) },
      { primary: 1, ids: [1], list: 1001, campaign: "Auto2", status: "NA", lastCall: ago(3).toISOString() },
      "recently_called",
    ],
    [
      "a DNC status on a row of the number",
      { rows: [row(1, { statusCode: "DNC", statusIsDnc: true })], statusIsDnc: true },
      { primary: 1, ids: [1], list: 1001, campaign: "Auto2", status: "DNC", lastCall: null },
      "dnc",
    ],
    [
      "on a DNC list and recently called: dnc outranks",
      { onDncList: true, lastCallAt: ago(1) },
      { primary: 1, ids: [1], list: 1001, campaign: "Auto2", status: "NA", lastCall: ago(1).toISOString() },
      "dnc",
    ],
  ])("%s", (_what, g, link, reason) => {
    const s = newLeadState(group(g), ctx);
    expect(linkOf(s.meta)).toEqual(link);
    expect(s.meta.origin).toBe("vici_import");
    expect([s.doNotCall, s.doNotCallReason]).toEqual([reason !== null, reason]);
  });
});

describe("mergedLeadState: a phone Brain has", () => {
  /** A Brain lead linked to row 1 (Auto2, called 40 days ago). */
  const linked: BrainLeadState = {
    meta: {
      vici_lead_id: 1,
      vici_lead_ids: [1],
      vici_list_id: 1001,
      vici_campaign_id: "Auto2",
      vici_status: "B",
      last_call_date: ago(40).toISOString(),
      origin: "api",
      note: "kept",
    },
    ...NO_FLAG,
  };
  const calledRow1 = new Map([[1, ago(40)]]);

  it.each<[string, BrainLeadState, Parameters<typeof group>[0], ReturnType<typeof linkOf>, boolean]>([
    [
      "the same row again, nothing new: unchanged",
      linked,
      { rows: [row(1, { statusCode: "B", lastCallAt: ago(40) })], lastCallAt: ago(40), callOf: calledRow1 },
      { primary: 1, ids: [1], list: 1001, campaign: "Auto2", status: "B", lastCall: ago(40).toISOString() },
      false,
    ],
    [
      "the primary's status moved: changed",
      linked,
      { rows: [row(1, { statusCode: "SALE", lastCallAt: ago(40) })], lastCallAt: ago(40), callOf: calledRow1 },
      { primary: 1, ids: [1], list: 1001, campaign: "Auto2", status: "SALE", lastCall: ago(40).toISOString() },
      true,
    ],
    [
      "a row of another batch, never called, joins; the primary (called) stays",
      linked,
      { rows: [row(8, { listId: 2001, campaignId: "Autodial" })], lastCallAt: ago(40), callOf: calledRow1 },
      { primary: 1, ids: [1, 8], list: 1001, campaign: "Auto2", status: "B", lastCall: ago(40).toISOString() },
      true,
    ],
    [
      "a row of another batch called later becomes primary",
      linked,
      {
        rows: [row(8, { listId: 2001, campaignId: "Autodial", statusCode: "NI", lastCallAt: ago(35) })],
        lastCallAt: ago(35),
        callOf: new Map([
          [1, ago(40)],
          [8, ago(35)],
        ]),
      },
      { primary: 8, ids: [1, 8], list: 2001, campaign: "Autodial", status: "NI", lastCall: ago(35).toISOString() },
      true,
    ],
    [
      "a Brain lead never linked (created through the API) gets its first rows",
      { meta: {}, ...NO_FLAG },
      { rows: [row(5), row(6, { listId: 2001, campaignId: "Autodial" })] },
      { primary: 6, ids: [5, 6], list: 2001, campaign: "Autodial", status: "NA", lastCall: null },
      true,
    ],
  ])("%s", (_what, current, g, link, changed) => {
    const s = mergedLeadState(current, group(g), ctx);
    expect(linkOf(s.meta)).toEqual(link);
    expect(s.changed).toBe(changed);
    // What the import does not own in meta is left as it was.
    if (current.meta.note) expect([s.meta.note, s.meta.origin]).toEqual(["kept", "api"]);
  });

  it("batches in any order end where one batch with every row would", () => {
    const all = [
      row(1, { lastCallAt: ago(40), statusCode: "B" }),
      row(4, { lastCallAt: ago(50) }),
      row(8, { listId: 2001, campaignId: "Autodial" }),
    ];
    const callOf = new Map(all.map((r) => [r.leadId, r.lastCallAt]));
    const oneBatch = newLeadState(group({ rows: all, lastCallAt: ago(40), callOf }), ctx);
    for (const order of [
      [0, 1, 2],
      [2, 1, 0],
      [1, 2, 0],
    ]) {
      let s: BrainLeadState = newLeadState(group({ rows: [all[order[0]]], lastCallAt: ago(40), callOf }), ctx);
      for (const i of order.slice(1))
        s = mergedLeadState(s, group({ rows: [all[i]], lastCallAt: ago(40), callOf }), ctx);
      expect(linkOf(s.meta)).toEqual(linkOf(oneBatch.meta));
    }
  });

  it("an import never clears a flag: DNC stays, an operator's reason stays", () => {
    const operator: BrainLeadState = {
      ...linked,
      doNotCall: true,
      doNotCallReason: "asked not to be called",
      doNotCallUntil: null,
    };
    const s = mergedLeadState(
      operator,
      group({ rows: [row(1, { statusCode: "B", lastCallAt: ago(40) })], lastCallAt: ago(40), callOf: calledRow1 }),
      ctx,
    );
    expect([s.doNotCall, s.doNotCallReason, s.doNotCallUntil, s.changed]).toEqual([
      true,
      "asked not to be called",
      null,
      false,
    ]);
  });
});

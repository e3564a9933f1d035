import { DncEntries, dncEntriesOf, type DncEntry } from "../../src/vici/rules/dnc";
import type { DncHit } from "../../src/vici/rules/call-verdict/held-number";
import { StatusCatalog, statusRowFromDb } from "../../src/vici/rules/status-category";

/** VICIdial's DNC lists: which entries hold a number, for which campaigns (the one matching rule). */
const us = { phoneCode: "1", phoneNumber: "7275550101" };
const uk = { phoneCode: "44", phoneNumber: "7275550101" };
const sys = (entry: string): DncEntry => ({ entry, campaignId: null, sharedBy: [] });
const camp = (entry: string, campaignId: string, ...sharedBy: string[]): DncEntry => ({ entry, campaignId, sharedBy });

describe("dncEntriesOf", () => {
  it("a NANP number: itself and its area-code wildcard", () =>
    expect(dncEntriesOf(us)).toEqual(["7275550101", "727XXXXXXX"]));
  it("another country: no area-code wildcard", () => expect(dncEntriesOf(uk)).toEqual(["7275550101"]));
  it("a short NANP number: no wildcard", () =>
    expect(dncEntriesOf({ phoneCode: "1", phoneNumber: "72755501" })).toEqual(["72755501"]));
});

describe("DncEntries.hitsOf", () => {
  it.each<[string, DncEntry[], typeof us, (string | null)[], DncHit[]]>([
    [
      "system list, exact: everywhere",
      [sys("7275550101")],
      us,
      [],
      [{ list: "system", campaignId: null, entry: "7275550101" }],
    ],
    [
      "system list, area code of a US number",
      [sys("727XXXXXXX")],
      us,
      [],
      [{ list: "system", campaignId: null, entry: "727XXXXXXX" }],
    ],
    ["system list, 'area code' of another country: not held", [sys("727XXXXXXX")], uk, ["Auto2"], []],
    [
      "campaign list of one of the campaigns",
      [camp("7275550101", "Auto2")],
      us,
      ["auto2"],
      [{ list: "campaign", campaignId: "Auto2", entry: "7275550101" }],
    ],
    ["campaign list of another campaign: not held", [camp("7275550101", "Survey1")], us, ["Auto2", null], []],
    [
      "a list a campaign shares (use_other_campaign_dnc)",
      [camp("727XXXXXXX", "Master", "auto2")],
      us,
      ["Auto2"],
      [{ list: "campaign", campaignId: "Master", entry: "727XXXXXXX" }],
    ],
    ["another number's entry: not held", [sys("7275550102"), camp("7275550102", "Auto2")], us, ["Auto2"], []],
    [
      "system hits first",
      [camp("7275550101", "Auto2"), sys("727XXXXXXX"), sys("7275550101")],
      us,
      ["Auto2"],
      [
        { list: "system", campaignId: null, entry: "7275550101" },
        { list: "system", campaignId: null, entry: "727XXXXXXX" },
        { list: "campaign", campaignId: "Auto2", entry: "7275550101" },
      ],
    ],
  ])("%s", (_, entries, phone, campaigns, hits) => {
    expect(new DncEntries(entries).hitsOf(phone, campaigns)).toEqual(hits);
  });
});

describe("StatusCatalog.isDnc: a do-not-call status, the campaign's definition over the system's", () => {
  const catalog = new StatusCatalog([
    statusRowFromDb({ status: "DNC", status_name: "Do not call", dnc: "Y" }, null),
    statusRowFromDb({ status: "NI", status_name: "Not interested", not_interested: "Y" }, null),
    statusRowFromDb({ status: "NI", status_name: "Remove me", dnc: "Y" }, "Survey1"),
  ]);
  it.each<[string | null, string | null, boolean]>([
    ["DNC", null, true],
    ["dnc", "Auto2", true],
    ["NI", "Auto2", false],
    ["NI", "survey1", true],
    ["XYZ", null, false],
    [null, null, false],
  ])("%s in %s → %s", (status, campaign, dnc) => expect(catalog.isDnc(status, campaign)).toBe(dnc));
});

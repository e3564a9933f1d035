import { campaignName, reason, type VerdictContext } from "./context";
import { sameText } from "./lead-clock";
import { areaCodeEntry } from "../dnc";
import { StatusCatalog } from "../status-category";
import { brainDoNotCallReason, campaignDncDetail, dncStatusReason, systemDncDetail } from "./held-number";
import { CallReasonCode as C, type CallNote, type CallReason, type CampaignFacts, type LeadRowFacts } from "./types";

/**
 * Do-not-call, as the hopper applies it for the campaign (CALLTIMES.md §5; HOP:2957-3018):
 * use_internal_dnc Y checks vicidial_dnc for the number, AREACODE also for its area-code
 * entry (727XXXXXXX), N not at all; use_campaign_dnc does the same with vicidial_campaign_dnc
 * of the campaign, or of use_other_campaign_dnc when set. DNC never lifts by time. Also
 * Brain's own do-not-call, and (ours) a do-not-call disposition on any Vici row of the number.
 * Which entries hold the number is rules/dnc.ts's (the one matching rule); this applies the
 * campaign's settings to them.
 */

export function dncReasons(ctx: VerdictContext): { reasons: CallReason[]; notes: CallNote[] } {
  const reasons: CallReason[] = [];
  const notes: CallNote[] = [];
  const n = ctx.facts.number;
  const c = ctx.facts.campaign.campaign;
  const wildcard = areaCodeEntry(n.phoneNumber);
  const exact = (e: string) => e !== wildcard;

  if (n.brainDoNotCall) {
    reasons.push(brainDoNotCallReason(n.brainDoNotCall.reason));
  }

  // An unknown campaign has no settings to narrow the lists: the strictest reading.
  const internal = c ? c.useInternalDnc : "AREACODE";
  const system = n.dnc.system;
  const systemHits = system.filter((e) => (internal === "AREACODE" ? true : internal === "Y" ? exact(e) : false));
  if (systemHits.length) {
    reasons.push(
      reason(
        C.DNC_SYSTEM,
        systemDncDetail(systemHits.some(exact), wildcard),
        `vicidial_dnc; vicidial_campaigns.use_internal_dnc=${internal}`,
        null,
      ),
    );
  }
  for (const e of system.filter((x) => !systemHits.includes(x))) {
    notes.push({
      code: "DNC_NOT_CHECKED_BY_CAMPAIGN",
      detail: `vicidial_dnc holds ${exact(e) ? "the number" : `its area code (${wildcard})`}, but campaign ${campaignName(ctx)} does not check ${exact(e) ? "that list" : "area-code entries"} (use_internal_dnc=${internal})`,
    });
  }

  if (c) {
    const list = c.useOtherCampaignDnc.trim() !== "" ? c.useOtherCampaignDnc : c.campaignId;
    const mode = c.useCampaignDnc;
    const entries = n.dnc.campaign.filter((e) => sameText(e.campaignId, list));
    const hits = entries.filter((e) => (mode === "AREACODE" ? true : mode === "Y" ? exact(e.entry) : false));
    if (hits.length) {
      reasons.push(
        reason(
          C.DNC_CAMPAIGN,
          campaignDncDetail(
            list,
            hits.some((e) => exact(e.entry)),
            wildcard,
          ),
          `vicidial_campaign_dnc (${list}); vicidial_campaigns.use_campaign_dnc=${mode}${list !== c.campaignId ? `, use_other_campaign_dnc=${list}` : ""}`,
          null,
        ),
      );
    }
    for (const e of entries.filter((x) => !hits.includes(x))) {
      notes.push({
        code: "DNC_NOT_CHECKED_BY_CAMPAIGN",
        detail: `campaign ${list}'s DNC list holds ${exact(e.entry) ? "the number" : `its area code (${wildcard})`}, but the campaign does not check ${exact(e.entry) ? "it" : "area-code entries"} (use_campaign_dnc=${mode})`,
      });
    }
  }

  const dncRows = n.rows.filter((r) => statusIsDnc(ctx.facts.campaign, r));
  if (dncRows.length) {
    reasons.push(dncStatusReason(dncRows));
  }
  return { reasons, notes };
}

/**
 * A row's status carries the dnc flag: its campaign's own definition first, else the system's.
 * The one test, StatusCatalog.isDnc (createLead and the import use it too), over the flags.
 */
export function statusIsDnc(c: CampaignFacts, row: LeadRowFacts): boolean {
  if (!row.status) return false;
  let catalog = dncCatalogs.get(c.dncStatuses);
  if (!catalog) dncCatalogs.set(c.dncStatuses, (catalog = StatusCatalog.ofDncFlags(c.dncStatuses)));
  return catalog.isDnc(row.status, row.list?.campaignId ?? null);
}

/** One catalog per facts read (a batch of verdicts shares its campaign's facts). */
const dncCatalogs = new WeakMap<CampaignFacts["dncStatuses"], StatusCatalog>();

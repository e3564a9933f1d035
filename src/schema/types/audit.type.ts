import { Field, Float, ID, ObjectType } from "type-graphql";
import { SafeInt } from "../scalars";
import { ViciList } from "./campaign.type";
import type * as audit from "../../services/audit.service";
import type * as health from "../../services/health-metrics.service";

@ObjectType({ description: "One kind of drift between Brain and VICIdial: how many, and a few examples." })
export class AuditDrift implements audit.DriftFinding {
  @Field(() => SafeInt)
  count: number;

  @Field(() => [SafeInt], {
    description: "Up to 20 VICIdial lead ids (for brainNotInVici: the missing ones Brain still points to).",
  })
  sampleLeadIds: number[];

  @Field(() => [ID], { description: "Up to 20 Brain lead ids (brainNotInVici only; empty for the other kinds)." })
  sampleBrainLeadIds: string[];
}

@ObjectType({ description: "VICIdial rows of one campaign (all its lists, active or not)." })
export class CampaignAudit implements audit.CampaignAudit {
  @Field()
  campaignId: string;

  @Field(() => String, {
    nullable: true,
    description: "Null for a campaign named by lists but missing from vicidial_campaigns.",
  })
  name: string | null;

  @Field(() => [ViciList])
  lists: ViciList[];

  @Field(() => SafeInt, { description: "vicidial_list rows in the campaign's lists." })
  rows: number;

  @Field(() => SafeInt, { description: "Distinct (phone_code, phone_number) as stored." })
  uniquePhones: number;

  @Field(() => SafeInt, { description: "Rows whose vendor_lead_code is neither NULL nor empty." })
  rowsWithVendorCode: number;
}

@ObjectType({ description: "The chosen campaigns together (uniquePhones counts a phone in several campaigns once)." })
export class AuditTotals implements audit.AuditCounts {
  @Field(() => SafeInt)
  rows: number;

  @Field(() => SafeInt)
  uniquePhones: number;

  @Field(() => SafeInt)
  rowsWithVendorCode: number;
}

@ObjectType({
  description: "The sync strategy's 'audit current state', per campaign, plus the drift between Brain and VICIdial.",
})
export class AuditReport implements audit.AuditReport {
  @Field(() => [CampaignAudit])
  campaigns: CampaignAudit[];

  @Field(() => AuditTotals)
  totals: AuditTotals;

  @Field(() => AuditDrift, {
    description: "Rows of the chosen campaigns whose phone no Brain lead has (an invalid number counts).",
  })
  viciNotInBrain: AuditDrift;

  @Field(() => AuditDrift, {
    description:
      "Brain leads (all of Brain) whose meta.vici_lead_id / vici_lead_ids name VICIdial leads that no longer exist.",
  })
  brainNotInVici: AuditDrift;

  @Field(() => AuditDrift, {
    description:
      "Rows of the chosen campaigns linked to a Brain lead but holding another vendor code than its externalLeadId, or carrying a vendor code that rows of another phone carry too. Counts rows.",
  })
  conflictingLinks: AuditDrift;

  @Field(() => AuditDrift, {
    description:
      "Phones (phone_code + phone_number as stored) with 2+ dialable rows in the chosen campaigns: list active, status not DNC, SALE, UNWORKABLE or NOT_INTERESTED in its campaign. Counts phones; samples their rows.",
  })
  phonesOnSeveralDialableRows: AuditDrift;

  @Field(() => Date)
  generatedAt: Date;
}

@ObjectType({
  description: "A success metric of the sync strategy: the measured value, its target, and whether it is met.",
})
export class HealthMetric implements health.HealthMetric {
  @Field(() => Float, { description: "A count, or a share from 0 to 1." })
  value: number;

  @Field(() => SafeInt, { description: "The count, or a share's numerator." })
  count: number;

  @Field(() => SafeInt, {
    nullable: true,
    description: "A share's denominator; for createdOutsideBrain the rows entered since the cut-over.",
  })
  total: number | null;

  @Field({ description: '"zero" or "100%".' })
  target: string;

  @Field()
  met: boolean;

  @Field(() => [SafeInt], {
    description: "Up to 20 VICIdial lead ids behind the value, where the measurement sees them.",
  })
  sampleLeadIds: number[];
}

@ObjectType({ description: "The sync strategy's four success metrics, measured now." })
export class SyncHealth implements health.SyncHealth {
  @Field(() => [String], { description: "The campaigns measured, as VICIdial spells them." })
  campaigns: string[];

  @Field(() => SafeInt, { description: "Length of the call-log window (RECENT_CALL_DAYS, 30 unless configured)." })
  windowDays: number;

  @Field(() => Date)
  windowStart: Date;

  @Field(() => Date, {
    nullable: true,
    description:
      "The cut-over measured from: the one asked for, else VICI_CUTOVER_AT, else when the gateway first pushed a lead to VICIdial; null when none of these exists.",
  })
  cutoverAt: Date | null;

  @Field(() => HealthMetric, {
    description:
      "Numbers (vicidial_log.phone_number) dialed from two or more VICIdial leads within the window, among numbers the chosen campaigns called in it. Target zero.",
  })
  dialedTwiceIn30Days: HealthMetric;

  @Field(() => HealthMetric, {
    description: "Share of the chosen campaigns' VICIdial rows with a vendor code. Target 100%.",
  })
  vendorCodeShare: HealthMetric;

  @Field(() => HealthMetric, { description: "Share of Brain leads with meta.vici_lead_id. Target 100%." })
  brainLinkedShare: HealthMetric;

  @Field(() => HealthMetric, {
    nullable: true,
    description:
      "Rows of the chosen campaigns entered since cutoverAt (VICIdial server time) that the gateway did not push (no delivered push names them): leads loaded straight into VICIdial. They are still imported (each reported as a NOTICE by the import). Null without a cut-over. Target zero.",
  })
  createdOutsideBrain: HealthMetric | null;

  @Field(() => Date)
  measuredAt: Date;
}

import { Field, ObjectType } from "type-graphql";
import { SafeInt } from "../scalars";
import type * as drift from "../../services/drift-history.service";

@ObjectType({ description: "The audit's drift numbers on one day (the day's last audit of this campaign set)." })
export class DriftSnapshot implements drift.DriftSnapshot {
  @Field({ description: "The VICIdial server's calendar day (VICI_TIMEZONE), YYYY-MM-DD." })
  day: string;

  @Field({ description: "When the audit behind it ran." })
  takenAt: Date;

  @Field(() => SafeInt, { description: "AuditReport.totals.rows." })
  viciRows: number;

  @Field(() => SafeInt, { description: "AuditReport.viciNotInBrain.count." })
  viciNotInBrain: number;

  @Field(() => SafeInt, { description: "AuditReport.brainNotInVici.count." })
  brainNotInVici: number;

  @Field(() => SafeInt, { description: "AuditReport.conflictingLinks.count." })
  conflictingLinks: number;

  @Field(() => SafeInt, { description: "AuditReport.phonesOnSeveralDialableRows.count." })
  phonesOnSeveralDialableRows: number;
}

import { registerEnumType } from "type-graphql";
import { StatusCategory } from "../vici/rules/status-category";

export { StatusCategory };

registerEnumType(StatusCategory, {
  name: "StatusCategory",
  description: "What a VICIdial status means, derived from VICIdial's status tables (campaign statuses over system ones).",
});

export enum OrderDirection {
  ASC = "ASC",
  DESC = "DESC",
}
registerEnumType(OrderDirection, { name: "OrderDirection" });

export enum LeadOrderField {
  CREATED_AT = "CREATED_AT",
  UPDATED_AT = "UPDATED_AT",
  /** Brain's snapshot of the latest Vici call (meta.last_call_date); never-called leads sort as oldest. */
  LAST_CALL_AT = "LAST_CALL_AT",
}
registerEnumType(LeadOrderField, { name: "LeadOrderField" });

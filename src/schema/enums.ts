import { registerEnumType } from "type-graphql";
import { StatusCategory } from "../vici/rules/status-category";
import { LeadOrderField, OrderDirection } from "../services/lead-query";

export { StatusCategory };
// The lead ordering's enums are LeadService's own (services import nothing from the schema).
export { LeadOrderField, OrderDirection };

registerEnumType(StatusCategory, {
  name: "StatusCategory",
  description:
    "What a VICIdial status means, derived from VICIdial's status tables (campaign statuses over system ones).",
});

registerEnumType(OrderDirection, { name: "OrderDirection" });

registerEnumType(LeadOrderField, { name: "LeadOrderField" });

import { GraphQLJSONObject, GraphQLLocalDateTime, GraphQLSafeInt } from "graphql-scalars";

/** VICIdial ids are unsigned INT/BIGINT: beyond GraphQL's 32-bit Int, within 2^53. */
export const SafeInt = GraphQLSafeInt;
export const JSONObject = GraphQLJSONObject;
/** A wall-clock date-time without zone (e.g. VICIdial's last_local_call_time: the lead's local time). */
export const LocalDateTime = GraphQLLocalDateTime;

import type { DataSource } from "typeorm";
import { createBrainDataSource } from "../src/data-sources/brain.data-source";
import { isExternalLeadId } from "../src/util/external-lead-id";
import { dbNameFor, freshBrainDb } from "./helpers/databases";
import { EXTERNAL_LEAD_ID_CASES } from "./helpers/external-lead-id-cases";

/**
 * isExternalLeadId and Brain's CHECK on leads.external_lead_id (as the migrations made it) must
 * agree on every case: an id the gateway accepts that PostgreSQL refuses would fail a write
 * half-way; one PostgreSQL takes that the gateway refuses would be unreachable.
 */
let brain: DataSource;

beforeAll(async () => {
  brain = createBrainDataSource(await freshBrainDb(dbNameFor(__filename)));
  await brain.initialize();
  await brain.runMigrations();
});
afterAll(() => brain?.destroy());

/** Whether PostgreSQL's CHECK constraint lets `id` into leads.external_lead_id. */
async function checkAccepts(id: string): Promise<boolean> {
  const [{ def }] = await brain.query(
    "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'leads_external_lead_id_format'",
  );
  const pattern = /~ '(.*)'::text/.exec(def)?.[1];
  if (!pattern) throw new Error(`unexpected constraint: ${def}`);
  const [{ ok }] = await brain.query("SELECT $1::text ~ $2 AS ok", [id, pattern]);
  return ok === true;
}

it("the constraint exists and is a pattern match", async () => {
  const [{ def }] = await brain.query(
    "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'leads_external_lead_id_format'",
  );
  expect(def).toMatch(/^CHECK \(\(\(external_lead_id\)::text ~ '.+'::text\)\)$/);
});

it.each(EXTERNAL_LEAD_ID_CASES.accepted)("PostgreSQL accepts %p as the gateway does", async (id) => {
  expect(isExternalLeadId(id)).toBe(true);
  expect(await checkAccepts(id)).toBe(true);
});

it.each(EXTERNAL_LEAD_ID_CASES.rejected.filter(([, s]) => typeof s === "string") as Array<[string, string]>)(
  "PostgreSQL refuses %s as the gateway does",
  async (_label, id) => {
    expect(isExternalLeadId(id)).toBe(false);
    expect(await checkAccepts(id)).toBe(false);
  },
);

import { dropTestDatabases } from "./helpers/databases";

/** Once per run, at the end: the databases the tests created (TEST_DB_PREFIX_...) are dropped. */
export default async function globalTeardown(): Promise<void> {
  await dropTestDatabases();
}

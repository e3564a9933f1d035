import { readVendorCodeChanges, type VendorCodeChangeRecord } from "../../src/jobs/vendor-code-changes";

/** Every vendor-code change a job recorded (both forms), in the order the rollback reads them. */
export async function allVendorCodeChanges(
  brain: { query(sql: string, params?: unknown[]): Promise<any> },
  jobId: string,
): Promise<VendorCodeChangeRecord[]> {
  const out: VendorCodeChangeRecord[] = [];
  for (let after = "0"; ;) {
    const { changes, lastKey } = await readVendorCodeChanges(brain, jobId, after, 1000);
    if (lastKey === null) return out;
    out.push(...changes);
    after = lastKey;
  }
}

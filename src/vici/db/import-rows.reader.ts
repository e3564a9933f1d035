import type { DataSource } from "typeorm";
import { readDncEntries } from "./dnc.reader";
import type { ViciPhone } from "../rules/phone";
import type { DncHit } from "../rules/call-verdict/held-number";

/**
 * What the import (VICI_IMPORT, and the follower through the same batch path) reads of
 * VICIdial besides the numbers' rows (NumberRowsReader) and the keyset pages (ViciLeadSource):
 * the columns of a batch's rows, and the DNC lists of its numbers.
 */

/** A vicidial_list row as the import reads it (IMPORT_COLUMNS). */
export interface ViciRow {
  lead_id: number;
  list_id: string | number;
  status: string | null;
  vendor_lead_code: string | null;
  phone_code: string | null;
  phone_number: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  source_id: string | null;
  entry_date: string | null;
}

export const IMPORT_COLUMNS =
  "lead_id, list_id, status, vendor_lead_code, phone_code, phone_number, first_name, last_name, email, address1, address2, city, state, postal_code, source_id, entry_date";

/** Which DNC entries hold a number, given the campaigns of its rows (any list, managed or not). */
export type DncMatcher = (number: ViciPhone, campaigns: Iterable<string | null>) => DncHit[];

/**
 * The import's DNC lookup: the DNC rule's one reader and matcher (dnc.reader.ts, rules/dnc.ts),
 * one statement per batch read next to its numbers' rows; the matcher says which entries hold
 * a number given the campaigns of its rows (any list, managed or not: DNC is about the number
 * wherever it sits) — the system list's, or the list of one of those campaigns or one it shares.
 */
export async function readDncLists(ds: DataSource, phones: readonly ViciPhone[]): Promise<DncMatcher> {
  // A batch asks thousands of numbers: short DNC lists are read whole rather than probed.
  const entries = await readDncEntries(ds, phones, { scanSmallLists: true });
  return (number, campaignsOfRows) => entries.hitsOf(number, campaignsOfRows);
}

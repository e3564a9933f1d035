import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

/**
 * What Brain keeps in `leads.meta` about the lead's Vici side. Keys are the seed strategy's
 * (snake_case, as stored); the sync jobs refresh them, and `leads` filters read them.
 */
export interface LeadMeta {
  /** The primary linked Vici lead (the most recently called of the phone's rows). */
  vici_lead_id?: number;
  /** Every Vici lead_id with this phone, any list. */
  vici_lead_ids?: number[];
  vici_list_id?: number;
  vici_campaign_id?: string | null;
  /** Vici status code of the primary row at `synced_at`. */
  vici_status?: string;
  /** ISO-8601 UTC instant of the latest vicidial_log call over all Vici rows of this phone. */
  last_call_date?: string | null;
  origin?: string;
  synced_at?: string;
  [key: string]: unknown;
}

/** Field sizes equal VICIdial's columns, so whatever Brain accepts fits `vicidial_list`. */
export const LEAD_FIELD_LIMITS = {
  externalLeadId: 20,
  firstName: 30,
  lastName: 30,
  email: 70,
  address1: 100,
  address2: 100,
  city: 50,
  state: 2,
  postalCode: 10,
  source: 50,
} as const;

@Entity({ name: "leads" })
export class LeadEntity {
  @PrimaryGeneratedColumn({ type: "bigint" })
  id: string;

  @Column({ name: "external_lead_id", type: "varchar", length: 20, unique: true })
  externalLeadId: string;

  /** E.164, e.g. +17275550101. */
  @Column({ type: "varchar", length: 16, unique: true })
  phone: string;

  @Column({ name: "first_name", type: "varchar", length: 30, nullable: true })
  firstName: string | null;

  @Column({ name: "last_name", type: "varchar", length: 30, nullable: true })
  lastName: string | null;

  @Column({ type: "varchar", length: 70, nullable: true })
  email: string | null;

  @Column({ type: "varchar", length: 100, nullable: true })
  address1: string | null;

  @Column({ type: "varchar", length: 100, nullable: true })
  address2: string | null;

  @Column({ type: "varchar", length: 50, nullable: true })
  city: string | null;

  @Column({ type: "varchar", length: 2, nullable: true })
  state: string | null;

  @Column({ name: "postal_code", type: "varchar", length: 10, nullable: true })
  postalCode: string | null;

  /** Free text: where the lead came from (a vendor, a form). Pushed as Vici `source_id`. */
  @Column({ type: "varchar", length: 50, nullable: true })
  source: string | null;

  /** How the lead entered Brain: vici_import, api, webhook, csv_import, demo. */
  @Column({ type: "varchar", length: 20, default: "api" })
  origin: string;

  @Column({ name: "do_not_call", type: "boolean", default: false })
  doNotCall: boolean;

  /** Why: dnc, recently_called, or an operator's words. */
  @Column({ name: "do_not_call_reason", type: "varchar", length: 40, nullable: true })
  doNotCallReason: string | null;

  /** When the flag lifts (a recently_called flag: the end of the number's window); null = never. Holds: src/services/do-not-call.ts. */
  @Column({ name: "do_not_call_until", type: "timestamptz", nullable: true })
  doNotCallUntil: Date | null;

  @Column({ type: "jsonb", default: () => "'{}'::jsonb" })
  meta: LeadMeta;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}

import { Column, Entity, PrimaryColumn } from "typeorm";
import type { Role, Scope } from "../../auth/roles";

/** An API key: its public id, role and scopes, and sha256 of its secret (never the secret). */
@Entity({ name: "api_keys" })
export class ApiKeyEntity {
  /** The public part of the key (`vbg_<id>_...`), 12 hex characters. */
  @PrimaryColumn({ type: "varchar", length: 16 })
  id: string;

  @Column({ type: "varchar", length: 100 })
  name: string;

  @Column({ type: "varchar", length: 10 })
  role: Role;

  @Column({ type: "text", array: true, default: () => "'{}'" })
  scopes: Scope[];

  @Column({ name: "secret_hash", type: "bytea", select: false })
  secretHash: Buffer;

  @Column({ name: "created_by", type: "varchar", length: 100, nullable: true })
  createdBy: string | null;

  @Column({ name: "created_at", type: "timestamptz", default: () => "now()" })
  createdAt: Date;

  @Column({ name: "last_used_at", type: "timestamptz", nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: "revoked_at", type: "timestamptz", nullable: true })
  revokedAt: Date | null;
}

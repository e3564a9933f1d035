import type { DataSource, EntityManager } from "typeorm";

export interface IntakeState {
  paused: boolean;
  reason: string | null;
  /** When the switch last changed. */
  since: Date | null;
}

/**
 * The seed's emergency step 1, "stop webhook processing", without losing anything: while
 * paused, new leads are stored in Brain and queued, but nothing is pushed to Vici. Kept in
 * Brain so every gateway process sees the same switch.
 */
export class IntakeSwitchService {
  constructor(private readonly ds: DataSource) {}

  async state(m: EntityManager = this.ds.manager): Promise<IntakeState> {
    const [row] = await m.query("SELECT value, updated_at FROM gateway_settings WHERE name = 'intake'");
    if (!row) return { paused: false, reason: null, since: null };
    return { paused: row.value.paused === true, reason: row.value.reason ?? null, since: row.updated_at };
  }

  async set(paused: boolean, reason: string | null): Promise<IntakeState> {
    await this.ds.query(
      `INSERT INTO gateway_settings (name, value, updated_at) VALUES ('intake', $1, now())
       ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [JSON.stringify({ paused, reason })],
    );
    return this.state();
  }
}

import type { DataSource, Repository } from "typeorm";
import { IsNull } from "typeorm";
import { ApiKeyEntity } from "../entities/brain/api-key.entity";
import {
  BrainUnavailableError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  UserInputError,
} from "../errors/errors";
import { isBrainUnreachable } from "../data-sources/brain-errors";
import { generateApiKey, parseApiKey, secretMatches } from "./api-key";
import { LOCAL_PRINCIPAL, type Principal } from "./principal";
import { isRole, isScope, Role, roleIncludes, Scope } from "./roles";

/** A key as shown to admins: never its secret nor its hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  scopes: Scope[];
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface CreateApiKeyInput {
  name: string;
  role: Role;
  scopes?: Scope[];
  createdBy?: string | null;
}

interface CachedKey {
  record: ApiKeyRecord;
  secretHash: Buffer;
  loadedAt: number;
}

/** A key id Brain does not know, remembered as briefly as a known one. */
interface UnknownKey {
  record: null;
  loadedAt: number;
}

/**
 * A key looked up in Brain is reused this long: one request needs no Brain round trip per
 * key check. A key revoked through this process is dropped at once; one revoked elsewhere
 * stops working here within this time.
 */
const CACHE_MS = 5_000;
/** last_used_at is written at most this often per key (it is for `keys list`, not auditing). */
const LAST_USED_EVERY_MS = 60_000;
/** The cache's bound: a flood of made-up ids evicts the oldest entries, never grows memory. */
const MAX_CACHED = 10_000;

/** API keys: creating, listing, revoking, and turning a request's key into a Principal. */
export class ApiKeyService {
  private readonly cache = new Map<string, CachedKey | UnknownKey>();

  constructor(
    private readonly brain: DataSource,
    private readonly opts: { required: boolean },
    private readonly now: () => number = Date.now,
  ) {}

  private get repo(): Repository<ApiKeyEntity> {
    return this.brain.getRepository(ApiKeyEntity);
  }

  /** Creates a key. The returned `key` is the only time its secret exists outside its owner. */
  async create(input: CreateApiKeyInput): Promise<{ apiKey: ApiKeyRecord; key: string }> {
    const name = input.name?.trim() ?? "";
    if (name === "" || name.length > 100) throw new UserInputError("a key's name must be 1 to 100 characters", "name");
    if (!isRole(input.role)) throw new UserInputError(`role must be one of reader, writer, operator, admin`, "role");
    const scopes = [...new Set(input.scopes ?? [])];
    const bad = scopes.find((s) => !isScope(s));
    if (bad !== undefined)
      throw new UserInputError(`unknown scope "${String(bad).slice(0, 20)}" (known: pii)`, "scopes");
    const generated = generateApiKey();
    const row = await this.repo.save(
      this.repo.create({
        id: generated.id,
        name,
        role: input.role,
        scopes,
        secretHash: generated.secretHash,
        createdBy: input.createdBy?.slice(0, 100) ?? null,
      }),
    );
    const saved = await this.repo.findOneByOrFail({ id: row.id });
    this.cache.delete(saved.id); // remembered as unknown a moment ago, perhaps
    return { apiKey: toRecord(saved), key: generated.key };
  }

  /** Every key, newest first, revoked ones included. */
  async list(): Promise<ApiKeyRecord[]> {
    return (await this.repo.find({ order: { createdAt: "DESC", id: "ASC" } })).map(toRecord);
  }

  /** Revokes a key (at once in this process). Revoking a revoked key changes nothing. */
  async revoke(id: string): Promise<ApiKeyRecord> {
    const found = await this.repo.findOneBy({ id: String(id).slice(0, 16) });
    if (!found) throw new NotFoundError("API key", String(id).slice(0, 16));
    if (!found.revokedAt) {
      await this.repo.update({ id: found.id, revokedAt: IsNull() }, { revokedAt: () => "now()" });
    }
    this.cache.delete(found.id);
    return toRecord(await this.repo.findOneByOrFail({ id: found.id }));
  }

  /**
   * The principal of a request's key (see keyFromHeaders). Without a key: UnauthenticatedError,
   * or the local principal when keys are not required. A key that is malformed, unknown or
   * revoked is always refused, whatever API_KEYS_REQUIRED says. `beforeLookup` runs (and may
   * throw) before a key that is not cached is looked up in Brain.
   */
  async authenticate(key: string | null, beforeLookup?: () => void): Promise<Principal> {
    if (key === null) {
      if (!this.opts.required) return LOCAL_PRINCIPAL;
      throw new UnauthenticatedError();
    }
    const parsed = parseApiKey(key);
    if (!parsed) throw new UnauthenticatedError("the API key is not valid");
    const found = await this.lookup(parsed.id, beforeLookup);
    if (!found || !secretMatches(parsed.secret, found.secretHash))
      throw new UnauthenticatedError("the API key is not valid");
    if (found.record.revokedAt) throw new UnauthenticatedError("the API key was revoked");
    await this.touch(found);
    const { id, name, role, scopes } = found.record;
    return { keyId: id, name, role, scopes };
  }

  /** The rule behind every @Authorized: the principal's role must include `need`. */
  authorize(principal: Principal | null, need: Role, what: string): void {
    if (!principal) throw new UnauthenticatedError();
    if (!roleIncludes(principal.role, need)) {
      throw new ForbiddenError(`${what} needs the ${need} role; this key is ${principal.role}`);
    }
  }

  private async lookup(id: string, beforeLookup?: () => void): Promise<CachedKey | null> {
    const hit = this.cache.get(id);
    if (hit && this.now() - hit.loadedAt < CACHE_MS) return hit.record ? hit : null;
    beforeLookup?.();
    const row = await this.repo
      .createQueryBuilder("k")
      .addSelect("k.secretHash")
      .where("k.id = :id", { id })
      .getOne()
      .catch((e: unknown) => {
        if (isBrainUnreachable(e)) throw new BrainUnavailableError("the API key could not be checked: try again");
        throw e;
      });
    const entry: CachedKey | UnknownKey = row
      ? { record: toRecord(row), secretHash: row.secretHash, loadedAt: this.now() }
      : { record: null, loadedAt: this.now() };
    this.cache.delete(id);
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(id, entry);
    return entry.record ? (entry as CachedKey) : null;
  }

  private async touch(entry: CachedKey): Promise<void> {
    const last = entry.record.lastUsedAt?.getTime() ?? 0;
    if (this.now() - last < LAST_USED_EVERY_MS) return;
    entry.record.lastUsedAt = new Date(this.now());
    // Awaited (once a minute per key) so no write outlives its request or a stop();
    // best effort: a failed write must not fail the request.
    await this.repo.update({ id: entry.record.id }, { lastUsedAt: () => "now()" }).catch(() => undefined);
  }
}

function toRecord(e: ApiKeyEntity): ApiKeyRecord {
  return {
    id: e.id,
    name: e.name,
    role: e.role,
    scopes: [...(e.scopes ?? [])],
    createdBy: e.createdBy,
    createdAt: e.createdAt,
    lastUsedAt: e.lastUsedAt,
    revokedAt: e.revokedAt,
  };
}

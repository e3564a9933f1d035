import pino from "pino";
import { InvalidArgumentError, type Command } from "commander";
import { ApiKeyService, type ApiKeyRecord } from "../auth/api-key.service";
import { isRole, isScope, ROLES, SCOPES, type Role, type Scope } from "../auth/roles";
import { createBrainDataSource } from "../data-sources/brain.data-source";
import { ensureBrainDatabase } from "../data-sources/brain-database";
import { createLogger } from "../logger";
import { cliPrincipal, loadCliConfig, usageExit } from "./app-runner";
import { EXIT, formatTime, Output, table } from "./output";

/**
 * API keys: `keys create`, `keys list`, `keys revoke`. They open Brain only (the dialer may be
 * down while keys are managed). The secret is printed once, by `create`, and never logged.
 */
export function registerKeyCommands(program: Command): void {
  const keys = program.command("keys").description("manage API keys (stored hashed in Brain)");

  usageExit(keys.command("create"))
    .description("create an API key and print it (the only time it is shown)")
    .requiredOption("--name <name>", "who or what the key is for")
    .requiredOption("--role <role>", `${ROLES.join(", ")} (each includes the ones before it)`, parseRole)
    .option(
      "--scope <scope>",
      `extra rights (${SCOPES.join(", ")}: phone numbers unmasked); repeatable`,
      collectScope,
      [] as Scope[],
    )
    .option("--json", "print { apiKey, key }")
    .addHelpText(
      "after",
      "\nExample:\n  vici-brain keys create --name dashboard --role reader\n  vici-brain keys create --name crm --role writer --scope pii --json | jq -r .key",
    )
    .action((opts: { name: string; role: Role; scope: Scope[]; json?: boolean }) =>
      withKeys(opts.json, async (service, out) => {
        const { apiKey, key } = await service.create({
          name: opts.name,
          role: opts.role,
          scopes: opts.scope,
          createdBy: cliPrincipal(),
        });
        out.result({ apiKey: keyForOutput(apiKey), key });
        out.line(`created key ${apiKey.id} "${apiKey.name}" (${describe(apiKey)})`);
        out.line("");
        out.line(`  ${key}`);
        out.line("");
        out.line("This is the only time the key is shown: store it now. Send it as Authorization: Bearer <key>.");
        return EXIT.OK;
      }),
    );

  usageExit(keys.command("list"))
    .description("list API keys, newest first (never their secrets)")
    .option("--json", "print { apiKeys: [...] }")
    .action((opts: { json?: boolean }) =>
      withKeys(opts.json, async (service, out) => {
        const all = await service.list();
        out.result({ apiKeys: all.map(keyForOutput) });
        if (all.length === 0) out.line("no API keys (create one: vici-brain keys create --name NAME --role ROLE)");
        else {
          for (const l of table(
            ["id", "name", "role", "scopes", "created", "last used", "revoked"],
            all.map((k) => [
              k.id,
              k.name,
              k.role,
              k.scopes.join(",") || "-",
              formatTime(k.createdAt),
              formatTime(k.lastUsedAt),
              formatTime(k.revokedAt),
            ]),
          )) {
            out.line(l);
          }
        }
        return EXIT.OK;
      }),
    );

  usageExit(keys.command("revoke"))
    .description("revoke an API key: it is refused from now on (within 5 s on running gateways)")
    .argument("<id>", "the key's id (see keys list)")
    .option("--json", "print { apiKey }")
    .action((id: string, opts: { json?: boolean }) =>
      withKeys(opts.json, async (service, out) => {
        const apiKey = await service.revoke(id);
        out.result({ apiKey: keyForOutput(apiKey) });
        out.line(`revoked key ${apiKey.id} "${apiKey.name}" at ${formatTime(apiKey.revokedAt)}`);
        return EXIT.OK;
      }),
    );
}

async function withKeys(
  json: boolean | undefined,
  fn: (service: ApiKeyService, out: Output) => Promise<number>,
): Promise<void> {
  const out = new Output(!!json);
  let code: number;
  const config = (() => {
    try {
      return loadCliConfig();
    } catch (e) {
      process.exitCode = out.error(e);
      return null;
    }
  })();
  if (!config) return;
  const brain = createBrainDataSource(
    config.brain.url,
    createLogger(config.logLevel, pino.destination({ fd: 2, sync: true })),
  );
  try {
    await ensureBrainDatabase(config.brain.url);
    await brain.initialize();
    await brain.runMigrations({ transaction: "each" });
    code = await fn(new ApiKeyService(brain, { required: true }), out);
  } catch (e) {
    code = out.error(e);
  } finally {
    if (brain.isInitialized) await brain.destroy();
  }
  process.exitCode = code;
}

function keyForOutput(k: ApiKeyRecord): Record<string, unknown> {
  return {
    ...k,
    createdAt: k.createdAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

function describe(k: ApiKeyRecord): string {
  return k.role + (k.scopes.length ? ` + ${k.scopes.join(", ")}` : "");
}

function parseRole(v: string): Role {
  const r = v.trim().toLowerCase();
  if (!isRole(r)) throw new InvalidArgumentError(`must be one of ${ROLES.join(", ")}`);
  return r;
}

function collectScope(v: string, prev: Scope[]): Scope[] {
  const s = v.trim().toLowerCase();
  if (!isScope(s)) throw new InvalidArgumentError(`must be one of ${SCOPES.join(", ")}`);
  return [...prev, s];
}

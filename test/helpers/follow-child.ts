/**
 * A process that follows VICIdial until it has caught up, for tests that kill it (SIGKILL)
 * mid-cycle. Run built: node dist/test/helpers/follow-child.js (test/global-setup.ts builds it).
 * Env: the usual configuration, plus CHILD_DIE_AFTER=<source>:<n>: the process kills itself
 * (SIGKILL) right after the nth commit of that source's batches (leads, calls, dnc, reconciled).
 * Prints "following" once it holds the lease.
 */
import "reflect-metadata";
import pino from "pino";
import { createApp } from "../../src/app";
import { loadConfig } from "../../src/config/app-config";

async function main() {
  const app = createApp(loadConfig(process.env), { log: pino({ level: "silent" }) });
  await app.init(); // no HTTP, no background follower: the cycles below are the only ones
  const follower = app.services.follower;
  const [what, n] = (process.env.CHILD_DIE_AFTER ?? ":0").split(":");
  let commits = 0;
  follower.afterCommit = (source) => {
    if (source === what && ++commits === Number(n)) process.kill(process.pid, "SIGKILL");
  };
  let announced = false;
  for (let i = 0; i < 1000; i++) {
    const r = await follower.cycle();
    if (r && !announced) {
      announced = true;
      process.stdout.write("following\n");
    }
    if (r?.caughtUp) break;
    if (!r) await new Promise((res) => setTimeout(res, 100));
  }
  await app.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

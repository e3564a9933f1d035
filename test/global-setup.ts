import { execFileSync } from "node:child_process";
import { join } from "node:path";

/**
 * Once per run: the tests that need real processes (signals, SIGKILL mid-job, several
 * gateways) run the built gateway (dist/, as `npm start` does), which starts in about a
 * second; it is rebuilt here when a source changed since the last build (CI built it already).
 */
export default function globalSetup(): void {
  const root = join(__dirname, "..");
  execFileSync(process.execPath, [join(root, "scripts", "build.js"), "--if-stale"], { cwd: root, stdio: "inherit" });
}

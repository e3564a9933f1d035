import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The folder holding package.json: works from src/ (ts-jest) and from dist/src/ (built). */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${from}`);
    dir = up;
  }
  return dir;
}

#!/usr/bin/env node
/**
 * `npm run build`: tsc (the gateway, into dist/) then Vite (the browser pages, into dist/web),
 * then a stamp. `--if-stale` (npm start, npm install's prepare) builds only when a source is
 * newer than the last build's stamp, so a start with a current dist/ starts at once.
 */
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const stamp = path.join(root, "dist", ".build-stamp");
/**
 * What the built programs are made of: a change to any of these makes dist/ stale (test/helpers:
 * the child processes tests start; tests themselves and bench/ are not needed to run anything).
 */
const INPUTS = [
  "src",
  "web",
  "test/helpers",
  "generated",
  "tsconfig.json",
  "vite.config.mts",
  "package.json",
  "package-lock.json",
];

function newest(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, name)));
  return max;
}

function stale() {
  let built;
  try {
    built = fs.statSync(stamp).mtimeMs;
  } catch {
    return true;
  }
  return INPUTS.some((p) => newest(path.join(root, p)) > built);
}

if (process.argv.includes("--if-stale") && !stale()) process.exit(0);
const bin = (name) => path.join(root, "node_modules", ".bin", name);
try {
  execFileSync(bin("tsc"), ["-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });
  // package.json's bin: `npx vici-brain` in this folder runs the file itself, so it must be
  // executable (npm makes a dependency's bins so when linking them, never the project's own).
  fs.chmodSync(path.join(root, "dist", "src", "main.js"), 0o755);
  execFileSync(bin("vite"), ["build"], { cwd: root, stdio: "inherit" });
} catch (e) {
  process.exit(typeof e.status === "number" ? e.status : 1);
}
fs.writeFileSync(stamp, new Date().toISOString() + "\n");

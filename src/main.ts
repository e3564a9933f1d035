#!/usr/bin/env node
import "reflect-metadata";
import { createProgram } from "./cli/program";
import { quietOnClosedPipe } from "./cli/output";
import { ConfigError } from "./config/app-config";

// A reader that went away (`vici-brain jobs | head -1`) ends the command quietly, as for any
// command-line tool; nothing is left to say to it.
quietOnClosedPipe(process.stdout);
quietOnClosedPipe(process.stderr);

createProgram()
  .parseAsync(process.argv)
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    // A setting at fault (e.g. VICI_DATABASE_URL naming no database) exits 2, as a bad value does.
    process.exit(e instanceof ConfigError ? 2 : 1);
  });

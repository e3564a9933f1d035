#!/usr/bin/env node
import "reflect-metadata";
import { createProgram } from "./cli/program";
import { quietOnClosedPipe } from "./cli/output";

// A reader that went away (`vici-brain jobs | head -1`) ends the command quietly, as for any
// command-line tool; nothing is left to say to it.
quietOnClosedPipe(process.stdout);
quietOnClosedPipe(process.stderr);

createProgram()
  .parseAsync(process.argv)
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });

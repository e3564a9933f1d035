import { CreateLeads1764000000000 } from "./1764000000000-create-leads";

/** Brain's migrations, oldest first. Run on start and by `vici-brain migrate`. */
export const brainMigrations = [CreateLeads1764000000000];

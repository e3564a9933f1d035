import { CreateLeads1764000000000 } from "./1764000000000-create-leads";
import { CreateOutbox1764100000000 } from "./1764100000000-create-outbox";

/** Brain's migrations, oldest first. Run on start and by `vici-brain migrate`. */
export const brainMigrations = [CreateLeads1764000000000, CreateOutbox1764100000000];

import { resolve } from "node:path";
import { buildGatewaySchema } from "../schema/build-schema";

// Relative to the working directory (the repo root), not to dist/.
buildGatewaySchema(resolve(process.cwd(), "schema.graphql")).then(
  () => console.log("schema.graphql written"),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

import { resolve } from "node:path";
import { defineConfig } from "vite";

/**
 * The gateway's browser pages, bundled at build time (`npm run build`) into dist/web and served
 * by the gateway itself: nothing is loaded from outside the machine. Each page is a folder of
 * web/ with an index.html (ide: GraphiQL on GET /graphql; console: the operations console on
 * GET /console); the gateway serves dist/web at /web/. Each page loads only its own chunks:
 * the console never pulls in GraphiQL (or graphql-js).
 */
export default defineConfig({
  root: resolve(import.meta.dirname, "web"),
  base: "/web/",
  logLevel: "warn",
  build: {
    outDir: resolve(import.meta.dirname, "dist/web"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        ide: resolve(import.meta.dirname, "web/ide/index.html"),
        console: resolve(import.meta.dirname, "web/console/index.html"),
      },
      // React libraries mark modules "use client" (meaningless in a plain bundle).
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
});

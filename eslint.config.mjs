// Lint (issue 13): typescript-eslint's recommended rules over src, test, bench, scripts and the
// web pages, plus React's hook rules for web/. Formatting is Prettier's (`npm run format:check`),
// so no stylistic rules here. `npm run lint` runs both in CI.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "coverage/", "node_modules/", "generated/", "bench/out/", "test-output/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` says "deliberately unused" (an interface's parameter, a destructured rest).
      // Matching literal output (two spaces in a CLI table) and control characters (ANSI colours,
      // what a CSV cell or a name must not hold) are what those regexes are for.
      "no-regex-spaces": "off",
      "no-control-regex": "off",
      // Rows from mysql2 and pg are untyped: readers take them as any and map them to typed
      // read models at that boundary, which the type-check then holds everywhere above.
      "@typescript-eslint/no-explicit-any": "off",
      // Reports the fallback of `let x = fallback; try { x = ... } catch {}` as useless.
      "no-useless-assignment": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    languageOptions: { globals: globals.node },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["web/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: globals.browser },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
);

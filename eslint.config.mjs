// ESLint for the web page's sources (web/src, bundled by esbuild) and their unit tests (tests/web/js).
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["web/src/**/*.js", "web/*.mjs", "tests/web/js/**/*.mjs"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: {
      // `const { dropped, ...rest } = obj` is how a key is left out of a copy (ignoreRestSiblings)
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
      eqeqeq: ["error", "smart"],
      "prefer-const": "error",
      "no-var": "error",
    },
  },
  {
    files: ["web/*.mjs", "tests/web/js/**/*.mjs"],
    languageOptions: { globals: { ...globals.node } },
  },
];

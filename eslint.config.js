// ESLint in the spirit of Shopify's Remix template: TypeScript, React, hooks, Prettier for formatting.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "build/",
      ".cache/",
      ".schema/",
      "app/types/admin*.d.ts",
      "extensions/*/dist/",
      // Written by Shopify CLI for each extension.
      "extensions/*/shopify.d.ts",
      "test-output/",
      "prisma/migrations/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { react, "react-hooks": reactHooks },
    settings: { react: { version: "18" } },
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs["jsx-runtime"].rules,
      ...reactHooks.configs.recommended.rules,
      "react/prop-types": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // Logging goes through app/utils/logger.server.ts (structured, redacted).
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // Server-only code (Prisma, secrets, the logger, shopify.server) must never reach the browser bundle.
    files: ["app/components/**", "app/hooks/**", "extensions/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["*.server", "*.server.*", "~/db.server", "~/shopify.server"],
              message: "Server-only module.",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Scripts the emulator serves to the browser (the App Bridge stand-in, the local admin).
    files: ["emulator/admin/**/*.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.browser } },
  },
  {
    // Command-line programs print to the terminal by design.
    files: ["scripts/**", "emulator/**", "test/**", "bench/**"],
    rules: { "no-console": "off" },
  },
  prettier,
);

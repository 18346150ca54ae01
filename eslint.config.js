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
  // The layers (docs/decisions/006-layout-by-feature.md): routes → services → models/graphql →
  // shopify.server/db, with i18n, constants, types and utils beside them. Imports go down, never up; each
  // block below refuses one back-arrow. test/lint/layers.test.ts proves a back-import fails lint.
  {
    files: [
      "app/models/**",
      "app/utils/**",
      "app/constants/**",
      "app/types/**",
      "app/i18n/**",
      "app/graphql/**",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["~/services/*", "~/routes/*", "~/api/*", "~/jobs/*", "~/components/*", "~/hooks/*"],
              message:
                "Layers: models, utils, constants, types, i18n and graphql never import services, routes, the API, jobs or UI.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/services/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["~/routes/*", "~/api/*", "~/jobs/*", "~/components/*", "~/hooks/*", "@remix-run/*"],
              message: "Layers: services know nothing of routes, the JSON API, jobs, UI or Remix.",
            },
          ],
        },
      ],
    },
  },
  {
    // Server-only code (Prisma, secrets, the logger, shopify.server) must never reach the browser bundle,
    // and UI code reaches data only through loaders.
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
            {
              group: ["~/services/*", "~/models/*", "~/jobs/*", "~/api/*"],
              message: "Layers: UI code gets its data from loaders, never from services or models.",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // The emulator stands in for Shopify: it never imports the app it serves.
    files: ["emulator/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["~/*", "**/app/*", "**/app/**", "**/extensions/**"],
              message: "The emulator never imports the app or its extensions.",
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

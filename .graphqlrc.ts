import { ApiType, shopifyApiProject } from "@shopify/api-codegen-preset";
import type { IGraphQLConfig } from "graphql-config";
import { ADMIN_API_VERSION } from "./app/constants/shopify";

// Types every `#graphql` document under app/ and extensions/ against Shopify's published Admin schema.
// scripts/fetch-admin-schema.mjs puts the schema at app/types/admin-<version>.schema.json beforehand, so
// codegen reads it locally instead of downloading; an invalid field or argument fails `npm run graphql-codegen`.
const config: IGraphQLConfig = {
  projects: {
    default: shopifyApiProject({
      apiType: ApiType.Admin,
      apiVersion: ADMIN_API_VERSION,
      documents: ["./app/**/*.{ts,tsx}", "./extensions/*/src/**/*.{ts,tsx}"],
      outputDir: "./app/types",
    }),
  },
};

export default config;

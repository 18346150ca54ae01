import { z } from "zod";

// Every environment variable the app reads, parsed once at start. A missing or malformed value stops
// the app with a message naming it; .env.example documents each one.
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: z.string().min(1, "the app's client id (Partner Dashboard → Client credentials)"),
  SHOPIFY_API_SECRET: z.string().min(1, "the app's client secret (Partner Dashboard → Client credentials)"),
  SHOPIFY_APP_URL: z.url("the public https URL the app is served at"),
  SCOPES: z
    .string()
    .min(1, "comma-separated access scopes, the same as shopify.app.toml (read_customers,write_customers)"),
  DATABASE_URL: z
    .string()
    .regex(/^file:/, "a SQLite URL such as file:./prisma/dev.sqlite")
    .default("file:./prisma/dev.sqlite"),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  // Local development only (demo, browser tests): the emulator the preload routes *.myshopify.com to.
  // The app reads it for two things the local admin needs: the App Bridge stand-in and frame-ancestors.
  SHOPIFY_EMULATOR_URL: z.url("the local emulator's base URL, e.g. http://127.0.0.1:4010").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = issue.path.join(".");
      const missing = source[name] === undefined || source[name] === "";
      return `  ${name}: ${missing ? "missing" : "invalid"} (${issue.message})`;
    });
    throw new Error(`Account Invites cannot start, fix these environment variables:\n${lines.join("\n")}`);
  }
  return result.data;
}

export const env = parseEnv(process.env);

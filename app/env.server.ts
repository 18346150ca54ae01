import { z } from "zod";

const DATABASE_URL_PATTERN = /^(file:.+|postgres(ql)?:\/\/[^\s]+)$/;

export type DatabaseProvider = "sqlite" | "postgresql";

/** Which ledger a DATABASE_URL names, by its scheme (the same rule as prisma.config.ts). */
export function databaseProviderOf(url: string): DatabaseProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(`DATABASE_URL: not a file: or postgresql:// URL`);
}

// Every environment variable the app reads, parsed once at start. A missing or malformed value stops
// the app with a message naming it; .env.example documents each one.
/**
 * LINK_EXPORT_KEY: the AES-256-GCM key that seals activation links while an export holds them (at most an
 * hour). 32 bytes, written as base64 (44 characters) or hex (64). Generate one with
 * `openssl rand -base64 32`.
 */
export function parseLinkExportKey(value: string): Buffer | null {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const bytes = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}

const LINK_EXPORT_KEY_HELP =
  "32 random bytes as base64 or hex (openssl rand -base64 32): seals activation links in exports";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: z.string().min(1, "the app's client id (Partner Dashboard → Client credentials)"),
  SHOPIFY_API_SECRET: z.string().min(1, "the app's client secret (Partner Dashboard → Client credentials)"),
  SHOPIFY_APP_URL: z.url("the public https URL the app is served at"),
  SCOPES: z
    .string()
    .min(1, "comma-separated access scopes, the same as shopify.app.toml (read_customers,write_customers)"),
  // SQLite (one instance) or PostgreSQL (several app and worker processes): README "Database".
  DATABASE_URL: z
    .string()
    .regex(
      DATABASE_URL_PATTERN,
      "a SQLite URL such as file:./prisma/dev.sqlite, or a PostgreSQL URL such as postgresql://user:password@host:5432/account_invites",
    )
    .default("file:./prisma/dev.sqlite"),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  LINK_EXPORT_KEY: z
    .string({ error: LINK_EXPORT_KEY_HELP })
    .min(1, LINK_EXPORT_KEY_HELP)
    .transform((value, ctx) => {
      const key = parseLinkExportKey(value);
      if (!key) {
        ctx.addIssue({
          code: "custom",
          message: "must be exactly 32 bytes, written as base64 (44 characters) or hex (64 characters)",
        });
        return z.NEVER;
      }
      return key;
    }),
  // Local development only (demo, browser tests): the emulator the preload routes *.myshopify.com to.
  // The app reads it for two things the local admin needs: the App Bridge stand-in and frame-ancestors.
  SHOPIFY_EMULATOR_URL: z.url("the local emulator's base URL, e.g. http://127.0.0.1:4010").optional(),
  // The production server (`npm start`): port, interface (all when unset), and how long a SIGTERM may
  // take to drain requests and stop the worker before the process exits anyway (default: one invite
  // request's timeout plus 10 s, so a request in flight is answered or timed out and settled).
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z
    .string()
    .optional()
    .transform((value) => value || undefined),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // The invite worker (app/jobs). In-process by default; "false" when `npm run worker` runs it instead.
  WORKER_ENABLED: z
    .enum(["true", "false"], "true or false")
    .default("true")
    .transform((value) => value === "true"),
  WORKER_POLL_MS: z.coerce.number().int().min(50).default(1_000),
  // How long a worker's claim on a shop lasts without renewal (renewed every third of it). Must exceed
  // INVITE_REQUEST_TIMEOUT_MS: a crashed worker's requests have ended before another worker takes over.
  WORKER_LEASE_MS: z.coerce.number().int().min(500).default(60_000),
  // How long one shop keeps a worker slot before the next shop with work gets a turn.
  WORKER_SLICE_MS: z.coerce.number().int().min(100).default(30_000),
  // How many shops one worker paces at once.
  WORKER_MAX_SHOPS: z.coerce.number().int().min(1).max(64).default(4),
  INVITE_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  INVITE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  // Ceiling of invite requests in flight per shop. Below it the pacer sizes the window from the observed
  // request time and the restore rate (services/sending/pacing.ts); each request's points stay reserved.
  INVITE_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(50).default(20),
});

const schemaWithDefaults = schema.transform((parsed) => ({
  ...parsed,
  SHUTDOWN_TIMEOUT_MS: parsed.SHUTDOWN_TIMEOUT_MS ?? parsed.INVITE_REQUEST_TIMEOUT_MS + 10_000,
}));

export type Env = z.infer<typeof schemaWithDefaults>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schemaWithDefaults.safeParse(source);
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

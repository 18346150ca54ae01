import pino from "pino";
import { env } from "~/env.server";

// One structured logger. Tokens, secrets and activation URLs must never reach a log line: the paths
// below are redacted wherever they appear, and code never logs them on purpose.
export const logger = pino({
  level: env.LOG_LEVEL,
  base: { app: "account-invites" },
  redact: {
    paths: [
      "accessToken",
      "refreshToken",
      "idToken",
      "token",
      "url",
      "accountActivationUrl",
      "*.accessToken",
      "*.refreshToken",
      "*.accountActivationUrl",
      "headers.authorization",
      'headers["x-shopify-access-token"]',
    ],
    censor: "[redacted]",
  },
});

export type Logger = typeof logger;

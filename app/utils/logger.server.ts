import pino from "pino";
import { env } from "~/env.server";
import { redactDeep, redactString } from "~/utils/redact";

// One structured logger. Tokens, secrets and activation links never reach a log line: every object
// logged (the merging object, child bindings, errors with their causes and whatever the Shopify library
// hangs on them: `body`, `response`, GraphQL answers) goes through the bounded walker in redact.ts, which
// replaces credentials by key and by value at any depth; every message string is scrubbed the same way.
// Code never logs a token or a link on purpose; this is the net under that rule.
const root = pino({
  level: env.LOG_LEVEL,
  base: { app: "account-invites" },
  formatters: {
    log: (object) => redactDeep(object) as Record<string, unknown>,
    bindings: (bindings) => redactDeep(bindings) as Record<string, unknown>,
  },
  serializers: {
    // formatters.log has already made errors plain objects; an `err` given another way is walked too.
    err: (value: unknown) => redactDeep(value),
    msg: (value: unknown) => (typeof value === "string" ? redactString(value) : value),
  },
});

// pino applies `formatters.bindings` to the root only: children's bindings are walked here. Children
// inherit this method, so grandchildren are covered too.
const pinoChild = root.child;
root.child = function redactedChild(this: typeof root, bindings, options) {
  return pinoChild.call(this, redactDeep(bindings) as typeof bindings, options);
} as typeof root.child;

export const logger = root;
export type Logger = typeof logger;

// The configuration every test runs with (the app validates it in app/env.server.ts).
export const TEST_API_KEY = "test-api-key-0123456789abcdef";
export const TEST_API_SECRET = "test-api-secret-do-not-use-in-production";
export const TEST_APP_URL = "https://account-invites.test";
export const TEST_SCOPES = "read_customers,write_customers";
/** Seals activation links in exports during tests (32 bytes, base64); never a production key. */
export const TEST_LINK_EXPORT_KEY = Buffer.alloc(32, 7).toString("base64");
// A desktop browser: authenticate.admin answers 410 to anything that looks like a bot.
export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

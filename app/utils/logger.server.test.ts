import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "~/utils/logger.server";

// The logger itself applies the walker (redact.ts) to everything it writes: objects, child bindings,
// errors and messages.
const token = "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";
const link = "https://demo.myshopify.com/account/activate/7001/5f1c0ffee5f1c0ffee5f1c0ffee5f1c0";

function capture() {
  const stream: { write: (line: string) => unknown } = Reflect.get(logger, pino.symbols.streamSym);
  const lines: string[] = [];
  logger.level = "trace";
  vi.spyOn(stream, "write").mockImplementation((line: string) => {
    lines.push(String(line));
    return true;
  });
  return lines;
}
afterEach(() => {
  logger.level = "silent";
});

describe("logger", () => {
  it("redacts the merging object, child bindings, errors and messages", () => {
    const lines = capture();
    const child = logger.child({ shop: "demo.myshopify.com", session: { accessToken: token } });
    const error = Object.assign(new Error(`GraphQL failed with ${token}`), {
      response: { body: { data: { customerGenerateAccountActivationUrl: { accountActivationUrl: link } } } },
    });
    child.child({ nested: { deeper: { refresh_token: "opaque" } } }).error({ err: error }, `see ${link}`);
    logger.warn(error);
    logger.info("plain message with %s", token);
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain(token);
      expect(line).not.toContain("/account/activate/");
      expect(line).not.toContain("opaque");
    }
    const first = JSON.parse(lines[0]!);
    expect(first.shop).toBe("demo.myshopify.com");
    expect(first.err.type).toBe("Error");
    expect(first.err.response.body.data.customerGenerateAccountActivationUrl.accountActivationUrl).toBe(
      "[redacted]",
    );
    expect(first.msg).toBe("see [redacted link]");
    expect(JSON.parse(lines[2]!).msg).toBe("plain message with [redacted token]");
  });
});

import { describe, expect, it } from "vitest";
import { readBodyText, readJsonObject } from "~/api/jsonApi.server";

// The JSON API's own limit, for requests that reach a route without the production server (tests,
// `remix vite:dev`): the body is read chunk by chunk and abandoned once over the limit.

/** A body that never ends: `pulled` counts the chunks it was asked for, `cancelled` whether it was let go. */
function endlessBody(chunkBytes = 16_384) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulled++;
      controller.enqueue(new Uint8Array(chunkBytes).fill(0x61));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

function post(body: BodyInit, headers: Record<string, string> = {}) {
  return new Request("https://app.test/api/invites/preview", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", ...headers },
    duplex: "half",
  } as RequestInit);
}

describe("readBodyText", () => {
  it("gives up on an endless body once past the limit, having read only that much", async () => {
    const { stream, state } = endlessBody();
    const result = await readBodyText(post(stream), 100_000);
    expect(result).toEqual({ ok: false, error: "tooLarge" });
    expect(state.cancelled).toBe(true);
    // 100,000 bytes is 7 chunks of 16 KB; a few more may sit in the stream's queue, never the whole.
    expect(state.pulled).toBeLessThan(12);
  });

  it("refuses a declared Content-Length above the limit without reading", async () => {
    const { stream, state } = endlessBody();
    const result = await readBodyText(post(stream, { "Content-Length": "5000000" }), 1_000_000);
    expect(result).toEqual({ ok: false, error: "tooLarge" });
    expect(state.pulled).toBeLessThanOrEqual(1);
  });

  it("reads a body at the limit exactly, multi-byte characters split across chunks included", async () => {
    const text = JSON.stringify({ message: "é".repeat(10) });
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    expect(await readBodyText(post(stream), bytes.byteLength)).toEqual({ ok: true, text });
    expect(await readBodyText(post(text), bytes.byteLength - 1)).toEqual({ ok: false, error: "tooLarge" });
  });

  it("says a body that fails mid-way is unreadable", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([0x7b]));
        controller.error(new Error("socket hang up"));
      },
    });
    expect(await readBodyText(post(stream), 1_000)).toEqual({ ok: false, error: "unreadable" });
  });
});

describe("readJsonObject", () => {
  it("answers tooLarge for an endless JSON body", async () => {
    const { stream } = endlessBody();
    expect(await readJsonObject(post(stream))).toEqual({ ok: false, error: "tooLarge" });
  });
});

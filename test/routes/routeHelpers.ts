import { expect } from "vitest";
import { bearerRequest } from "../support/requests";
import { signSessionToken } from "../support/sessionToken";

// Loaders and actions answer with plain data, `data(body, { status })`, a Response, or throw a Response
// (authentication, 404). One shape for assertions: status and body.
export async function outcome(
  promise: Promise<unknown>,
): Promise<{ status: number; body: unknown; response?: Response }> {
  let value: unknown;
  try {
    value = await promise;
  } catch (thrown) {
    if (thrown instanceof Response)
      return { status: thrown.status, body: await thrown.text(), response: thrown };
    throw thrown;
  }
  if (value instanceof Response) return { status: value.status, body: null, response: value };
  if (value && typeof value === "object" && "type" in value && value.type === "DataWithResponseInit") {
    const wrapped = value as unknown as { data: unknown; init: { status?: number } | null };
    return { status: wrapped.init?.status ?? 200, body: wrapped.data };
  }
  return { status: 200, body: value };
}

/** A refused request: a thrown Response that is not a success (401, a redirect to login, a bounce). */
export async function expectRefused(promise: Promise<unknown>) {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(Response);
  expect((thrown as Response).status).not.toBe(200);
}

/** What a Remix <Form method="post"> or useSubmit sends from the embedded app: form data with the session token. */
export function formPost(
  path: string,
  shop: string,
  fields: Record<string, string | string[]>,
  token?: string,
) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  return bearerRequest(path, token ?? signSessionToken({ shop }), { method: "POST", body });
}

/** A fetch (fetcher.load, a download) from the embedded app. */
export function bearerGet(path: string, shop: string) {
  return bearerRequest(path, signSessionToken({ shop }));
}

export const badToken = (shop: string) => signSessionToken({ shop, secret: "not-the-app-secret" });

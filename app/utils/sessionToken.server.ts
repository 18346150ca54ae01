// The raw session token a request came with, read exactly where authenticate.admin reads it (the
// `Authorization: Bearer` header first, then the embedded URL's `id_token`). Only for a request that
// authenticate.admin has already verified: the token is then the one the library checked. It is a
// credential: pass it on (app/services/staff/ exchanges it), never log it.
export function sessionTokenOf(request: Request): string | null {
  const header = request.headers.get("authorization")?.replace("Bearer ", "");
  if (header) return header;
  return new URL(request.url).searchParams.get("id_token");
}

/** The staff member a verified session token names (`sub`), as the ledger records who asked. */
export function staffIdOf(payload: { sub?: unknown } | undefined | null): string | null {
  return payload?.sub ? String(payload.sub) : null;
}

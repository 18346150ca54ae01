import { CUSTOMER_WRITE_SCOPE, STAFF_PERMISSIONS_TTL_MS, type StaffRefusal } from "~/constants/shopify";
import { exchangeOnlineToken } from "~/shopify.server";
import { logger } from "~/utils/logger.server";
import { sessionTokenOf, staffIdOf } from "~/utils/sessionToken.server";

// What the staff member behind a request may do, and the one rule built on it: sending invites and
// issuing activation links need customer-write permission (decision 008). The app's offline token acts
// as the app, for no one; only an online token, obtained by token exchange from the request's session
// token, says who the staff member is and what they may do (`associated_user_scope`, the app's scopes
// narrowed to their admin permissions). The online token itself is not kept: only what it says, for
// STAFF_PERMISSIONS_TTL_MS at most (never past the token's own expiry), per shop and staff member.
// Nothing here logs a token. Every failure to learn the permissions refuses (fail closed).

export interface StaffPermissions {
  shop: string;
  /** The staff member's id (the session token's `sub`, Shopify's `associated_user.id`). */
  staffId: string;
  /** `associated_user_scope`: the access scopes this staff member's permissions cover. */
  scopes: string[];
  accountOwner: boolean;
  /** Whether they may send invites and issue activation links. */
  canWriteCustomers: boolean;
}

/** Why a request that sends or issues links was refused: 403 (no permission) or 503 (not learned). */
export class StaffPermissionRefused extends Error {
  constructor(
    readonly refusal: StaffRefusal,
    readonly status: 403 | 503,
  ) {
    super(refusal === "customerWriteRequired" ? "customer-write permission required" : "permissions unknown");
    this.name = "StaffPermissionRefused";
  }
}

interface Cached {
  permissions: StaffPermissions;
  until: number;
}

const MAX_CACHED = 5_000;
const cache = new Map<string, Cached>();
const inFlight = new Map<string, Promise<StaffPermissions>>();

function remember(key: string, entry: Cached) {
  cache.delete(key);
  cache.set(key, entry);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
}

/** Forgets every cached permission (tests; a process never needs it). */
export function forgetStaffPermissions() {
  cache.clear();
  inFlight.clear();
}

async function exchange({
  shop,
  staffId,
  sessionToken,
  now,
}: {
  shop: string;
  staffId: string;
  sessionToken: string;
  now: number;
}): Promise<Cached> {
  const log = logger.child({ shop, staffId });
  let session;
  try {
    // The library verifies the session token again (signature, audience, expiry) before posting it.
    ({ session } = await exchangeOnlineToken({ shop, sessionToken }));
  } catch (error) {
    const status =
      error && typeof error === "object" && "response" in error
        ? (error as { response?: { code?: number } }).response?.code
        : undefined;
    log.warn(
      { status, error: error instanceof Error ? error.name : typeof error },
      "online token exchange failed: the staff member's permissions are unknown",
    );
    throw new StaffPermissionRefused("permissionsUnavailable", 503);
  }
  const info = session.onlineAccessInfo;
  const userId = info?.associated_user?.id;
  // An answer about someone else, or about no one, says nothing about this staff member.
  if (!info || userId === undefined || String(userId) !== staffId) {
    log.warn({ associatedUser: userId ?? null }, "online token names another staff member");
    throw new StaffPermissionRefused("permissionsUnavailable", 503);
  }
  const scopes = (info.associated_user_scope ?? "")
    .split(",")
    .map((scope: string) => scope.trim())
    .filter(Boolean);
  const tokenExpiry = session.expires?.getTime() ?? now + STAFF_PERMISSIONS_TTL_MS;
  return {
    permissions: {
      shop,
      staffId,
      scopes,
      accountOwner: Boolean(info.associated_user.account_owner),
      canWriteCustomers: scopes.includes(CUSTOMER_WRITE_SCOPE),
    },
    until: Math.min(now + STAFF_PERMISSIONS_TTL_MS, tokenExpiry - 60_000),
  };
}

/**
 * The permissions of the staff member whose session token (already verified by authenticate.admin)
 * came with this request. Learned by one online token exchange, then cached; concurrent requests of one
 * staff member share one exchange. Throws StaffPermissionRefused("permissionsUnavailable") when they
 * cannot be learned.
 */
export async function getStaffPermissions({
  shop,
  staffId,
  sessionToken,
  now = Date.now(),
}: {
  shop: string;
  staffId: string | null;
  sessionToken: string | null;
  now?: number;
}): Promise<StaffPermissions> {
  if (!staffId || !sessionToken) throw new StaffPermissionRefused("permissionsUnavailable", 503);
  const key = `${shop}\n${staffId}`;
  const cached = cache.get(key);
  if (cached && cached.until > now) return cached.permissions;
  const running = inFlight.get(key);
  if (running) return running;
  const lookup = exchange({ shop, staffId, sessionToken, now })
    .then((entry) => {
      remember(key, entry);
      return entry.permissions;
    })
    .finally(() => inFlight.delete(key));
  inFlight.set(key, lookup);
  return lookup;
}

/**
 * The rule: a request that sends invites or issues activation links goes on only for a staff member
 * with customer-write permission. Throws StaffPermissionRefused (403 without the permission, 503 when
 * the permissions cannot be learned).
 */
export async function requireCustomerWrite(args: {
  shop: string;
  staffId: string | null;
  sessionToken: string | null;
}): Promise<StaffPermissions> {
  const permissions = await getStaffPermissions(args);
  if (!permissions.canWriteCustomers) {
    logger.info({ shop: args.shop, staffId: args.staffId }, "refused: staff member cannot edit customers");
    throw new StaffPermissionRefused("customerWriteRequired", 403);
  }
  return permissions;
}

/**
 * For pages: why the staff member may not send or issue links (null: they may). Never throws for a
 * refusal: loaders show it as a banner, actions answer it with its status.
 */
export async function customerWriteRefusal(args: {
  shop: string;
  staffId: string | null;
  sessionToken: string | null;
}): Promise<{ refusal: StaffRefusal; status: 403 | 503 } | null> {
  try {
    await requireCustomerWrite(args);
    return null;
  } catch (error) {
    if (error instanceof StaffPermissionRefused) return { refusal: error.refusal, status: error.status };
    throw error;
  }
}

/**
 * customerWriteRefusal for a page's request, as `authenticate.admin` verified it: the session's shop,
 * the staff member its session token names, and that token.
 */
export function customerWriteRefusalOf(
  request: Request,
  { session, sessionToken }: { session: { shop: string }; sessionToken?: { sub?: unknown } | null },
): Promise<{ refusal: StaffRefusal; status: 403 | 503 } | null> {
  return customerWriteRefusal({
    shop: session.shop,
    staffId: staffIdOf(sessionToken),
    sessionToken: sessionTokenOf(request),
  });
}

// Access and refresh tokens the emulator hands out through token exchange, and their lifetimes.
// Expiry follows the emulator's clock (so `POST /__emulator/clock` can expire them).
import { randomBytes } from "node:crypto";
import type { Clock } from "./clock";

export const EXPIRING_ACCESS_TOKEN_SECONDS = 3600;
export const REFRESH_TOKEN_SECONDS = 7_776_000; // 90 days
export const ONLINE_TOKEN_SECONDS = 86_400;

export interface AccessToken {
  token: string;
  shop: string;
  scope: string;
  online: boolean;
  userId: string | null;
  expiresAt: number | null;
  createdAt: number;
}

export interface RefreshToken {
  token: string;
  shop: string;
  scope: string;
  expiresAt: number;
  usedAt: number | null;
}

export class TokenStore {
  private access = new Map<string, AccessToken>();
  private refresh = new Map<string, RefreshToken>();
  /** Refresh tokens revoked by an uninstall (token → shop), so a refusal can say why. */
  private revokedRefresh = new Map<string, string>();

  constructor(private readonly clock: Clock) {}

  issueAccess({
    shop,
    scope,
    online,
    userId,
    expiresInSeconds,
  }: {
    shop: string;
    scope: string;
    online: boolean;
    userId?: string | null;
    expiresInSeconds: number | null;
  }): AccessToken {
    const now = this.clock.now();
    const token: AccessToken = {
      token: `${online ? "shpua" : "shpat"}_${randomBytes(16).toString("hex")}`,
      shop,
      scope,
      online,
      userId: userId ?? null,
      expiresAt: expiresInSeconds === null ? null : now + expiresInSeconds * 1000,
      createdAt: now,
    };
    this.access.set(token.token, token);
    return token;
  }

  issueRefresh(shop: string, scope: string): RefreshToken {
    const token: RefreshToken = {
      token: `shprt_${randomBytes(24).toString("hex")}`,
      shop,
      scope,
      expiresAt: this.clock.now() + REFRESH_TOKEN_SECONDS * 1000,
      usedAt: null,
    };
    this.refresh.set(token.token, token);
    return token;
  }

  /** The token if it exists for this shop and has not expired. */
  validAccess(token: string | undefined, shop: string): AccessToken | null {
    if (!token) return null;
    const found = this.access.get(token);
    if (!found || found.shop !== shop) return null;
    if (found.expiresAt !== null && found.expiresAt <= this.clock.now()) return null;
    return found;
  }

  /** Consumes a refresh token: valid once, then never again (rotation). */
  consumeRefresh(
    token: string,
    shop: string,
  ): { ok: true; refresh: RefreshToken } | { ok: false; reason: string } {
    const found = this.refresh.get(token);
    if (!found && this.revokedRefresh.get(token) === shop)
      return { ok: false, reason: "refresh token revoked (the app was uninstalled)" };
    if (!found || found.shop !== shop) return { ok: false, reason: "unknown refresh token" };
    if (found.usedAt !== null) return { ok: false, reason: "refresh token already used" };
    if (found.expiresAt <= this.clock.now()) return { ok: false, reason: "refresh token expired" };
    found.usedAt = this.clock.now();
    return { ok: true, refresh: found };
  }

  /** Forgets every access and refresh token of a shop (uninstall); returns how many of each. */
  revokeShop(shop: string): { accessTokens: number; refreshTokens: number } {
    const revoked = { accessTokens: 0, refreshTokens: 0 };
    for (const [key, value] of this.access) {
      if (value.shop !== shop) continue;
      this.access.delete(key);
      revoked.accessTokens++;
    }
    for (const [key, value] of this.refresh) {
      if (value.shop !== shop) continue;
      this.refresh.delete(key);
      this.revokedRefresh.set(key, shop);
      revoked.refreshTokens++;
    }
    return revoked;
  }

  /**
   * Expires every access token of a shop now, as its natural expiry would (tests: "the stored token
   * stopped working"); refresh tokens keep working. Returns how many access tokens.
   */
  expireShop(shop: string): number {
    let n = 0;
    const now = this.clock.now();
    for (const value of this.access.values()) {
      if (value.shop === shop) {
        value.expiresAt = now;
        n++;
      }
    }
    return n;
  }

  /** Expires every unused refresh token of a shop now, as its 90 days would. Returns how many. */
  expireShopRefresh(shop: string): number {
    let n = 0;
    const now = this.clock.now();
    for (const value of this.refresh.values()) {
      if (value.shop === shop && value.usedAt === null) {
        value.expiresAt = now;
        n++;
      }
    }
    return n;
  }

  list(shop: string): AccessToken[] {
    return [...this.access.values()].filter((t) => t.shop === shop);
  }

  clear(): void {
    this.access.clear();
    this.refresh.clear();
    this.revokedRefresh.clear();
  }
}

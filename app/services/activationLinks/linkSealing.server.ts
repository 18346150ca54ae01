import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "~/env.server";

// Activation links at rest, while an export holds them for the staff member who asked (an hour at most):
// AES-256-GCM with LINK_EXPORT_KEY, a random 96-bit IV per link and the 128-bit auth tag. The additional
// data binds each ciphertext to its shop, export and customer, so a sealed link copied into another row
// (or another shop's) does not open. Tested in linkSealing.server.test.ts.

const VERSION = "v1";

export interface SealContext {
  shop: string;
  exportId: string;
  customerId: string;
}

const aad = ({ shop, exportId, customerId }: SealContext) =>
  Buffer.from(`${shop}\n${exportId}\n${customerId}`, "utf8");

export function sealLink(url: string, context: SealContext, key: Buffer = env.LINK_EXPORT_KEY): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad(context));
  const ciphertext = Buffer.concat([cipher.update(url, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    iv.toString("base64url"),
    tag.toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

/** The link, or throws when the ciphertext was altered, belongs to another row, or another key sealed it. */
export function openLink(sealed: string, context: SealContext, key: Buffer = env.LINK_EXPORT_KEY): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined)
    throw new Error("not a sealed activation link");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(aad(context));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString(
    "utf8",
  );
}

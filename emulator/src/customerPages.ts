// The storefront pages behind invite emails and activation URLs:
//   GET  /account/activate/<customerId>/<token>   → "Activate your account" form (or why the link is dead)
//   POST /account/activate/<customerId>/<token>   → action=activate (sets ENABLED) | action=decline (DECLINED)
// The shop comes from the Host header (when it is a *.myshopify.com host), X-Forwarded-Host, or ?shop=.
import type { LinkUseResult } from "./store";
import type { Shop } from "./model";

const escape = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#222}
form{display:flex;flex-direction:column;gap:.75rem}input{padding:.5rem;font:inherit}button{padding:.6rem;font:inherit;cursor:pointer}
.secondary{background:none;border:1px solid #999}</style></head><body>${body}</body></html>`;
}

export function activationFormPage(
  shop: Shop,
  result: Extract<LinkUseResult, { ok: true }>,
  actionPath: string,
): string {
  const { customer } = result;
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  return page(
    `Activate account · ${shop.name}`,
    `<h1>Activate your account</h1>
<p>${escape(shop.name)}: create a password to activate your account${name ? `, ${escape(name)}` : ""}.</p>
<form method="post" action="${escape(actionPath)}">
<label>Password <input type="password" name="password" autocomplete="new-password"></label>
<label>Confirm password <input type="password" name="password_confirmation" autocomplete="new-password"></label>
<button type="submit" name="action" value="activate">Activate account</button>
<button type="submit" name="action" value="decline" class="secondary">Decline invitation</button>
</form>`,
  );
}

export function linkDonePage(shop: Shop, action: "activate" | "decline"): string {
  return action === "activate"
    ? page(
        `Account activated · ${shop.name}`,
        `<h1>Your account is active</h1><p>You can now log in to ${escape(shop.name)}.</p>`,
      )
    : page(
        `Invitation declined · ${shop.name}`,
        `<h1>Invitation declined</h1><p>You won't receive an account at ${escape(shop.name)}.</p>`,
      );
}

export function linkErrorPage(shop: Shop | null, message: string): string {
  return page(
    shop ? `${shop.name}` : "Link",
    `<h1>${escape(message)}</h1><p>Ask the store to send you a new invitation.</p>`,
  );
}

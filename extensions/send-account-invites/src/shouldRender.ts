import { invitesMayWork } from "../../shared/src/shouldRenderInvites";

// admin.customer-index.selection-action.should-render: Shopify CLI registers this module's default
// export for the companion of SEND_INVITES_TARGET (see shopify.extension.toml).
export default async function shouldRender() {
  return { display: await invitesMayWork(shopify.query) };
}

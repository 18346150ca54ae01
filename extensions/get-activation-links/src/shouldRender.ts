import { invitesMayWork } from "../../shared/src/shouldRenderInvites";

// admin.customer-index.selection-action.should-render: activation links exist only with legacy customer
// accounts, like invites (the same check as "Send account invites").
export default async function shouldRender() {
  return { display: await invitesMayWork(shopify.query) };
}

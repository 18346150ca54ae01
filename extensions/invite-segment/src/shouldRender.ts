import { invitesMayWork } from "../../shared/src/shouldRenderInvites";

// admin.customer-segment-details.action.should-render: the companion of INVITE_SEGMENT_TARGET.
export default async function shouldRender() {
  return { display: await invitesMayWork(shopify.query) };
}

import '@shopify/ui-extensions';

//@ts-ignore
declare module './src/InviteSegmentAction.tsx' {
  const shopify: import('@shopify/ui-extensions/admin.customer-segment-details.action.render').Api;
  const globalThis: { shopify: typeof shopify };
}

//@ts-ignore
declare module './src/shouldRender.ts' {
  const shopify: import('@shopify/ui-extensions/admin.customer-segment-details.action.should-render').Api;
  const globalThis: { shopify: typeof shopify };
}

import '@shopify/ui-extensions';

//@ts-ignore
declare module './src/CustomerInviteAction.tsx' {
  const shopify: import('@shopify/ui-extensions/admin.customer-details.action.render').Api;
  const globalThis: { shopify: typeof shopify };
}

//@ts-ignore
declare module './src/shouldRender.ts' {
  const shopify: import('@shopify/ui-extensions/admin.customer-details.action.should-render').Api;
  const globalThis: { shopify: typeof shopify };
}

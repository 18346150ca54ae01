import '@shopify/ui-extensions';

//@ts-ignore
declare module './src/GetLinksAction.tsx' {
  const shopify: import('@shopify/ui-extensions/admin.customer-index.selection-action.render').Api;
  const globalThis: { shopify: typeof shopify };
}

//@ts-ignore
declare module './src/shouldRender.ts' {
  const shopify: import('@shopify/ui-extensions/admin.customer-index.selection-action.should-render').Api;
  const globalThis: { shopify: typeof shopify };
}

// Every merchant-facing string of the app's pages, in one place so the app can be translated.
export const strings = {
  appName: "Account Invites",
  landing: {
    tagline:
      "Invite imported and migrated customers to activate their accounts, in bulk, within your store's API limits, with a record of every invite.",
  },
  login: {
    title: "Log in",
    shopDomainLabel: "Shop domain",
    submit: "Log in",
    missingShop: "Please enter your shop domain to log in",
    invalidShop: "Please enter a valid shop domain to log in",
  },
  nav: {
    home: "Overview",
  },
  overview: {
    title: "Overview",
    shopHeading: "Your store",
    accountsHeading: "Customer accounts",
    classic: {
      badge: "Legacy customer accounts",
      body: "Your store uses legacy customer accounts: customers need an activated account to log in. Account Invites sends Shopify's account invite emails and activation links, in bulk, and keeps their history.",
    },
    newAccounts: {
      badge: "New customer accounts",
      title: "Account invites do not apply to your store",
      body: "Your store uses new customer accounts, where customers log in with a one-time code sent to their email. There is no account to activate, so Shopify does not send account invites or activation links for these stores. Your customers can already log in with their email address.",
    },
    unknown: {
      badge: "Unknown",
      body: "Shopify did not tell us which customer accounts your store uses.",
    },
  },
  errors: {
    title: "Something went wrong",
    body: "The page could not be loaded. Reload it; if this keeps happening, contact support with the time it happened.",
  },
} as const;

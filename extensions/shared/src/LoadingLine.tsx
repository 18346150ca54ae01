// How every extension says it is waiting for the app: a spinner and the sentence saying for what.

export function LoadingLine({ label }: { label: string }) {
  return (
    <s-stack direction="inline" gap="small" alignItems="center">
      <s-spinner accessibilityLabel={label} />
      <s-text>{label}</s-text>
    </s-stack>
  );
}

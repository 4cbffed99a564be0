/** Money is integer minor units; this is the only place it becomes text for people. */
export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: amount % 100 === 0 ? 0 : 2 }).format(
    amount / 100,
  );
}

export function formatCount(value: number): string {
  return new Intl.NumberFormat("en-US").format(value);
}

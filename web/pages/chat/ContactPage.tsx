/** Before the first message: who the conversation will be with, and one button to open it. */
export function ContactPage({ sellerName, action, about }: { sellerName: string; action: string; about?: string }) {
  return (
    <section class="form-page">
      <h1>Message {sellerName}</h1>
      <p>{about ? `Ask ${sellerName} about “${about}”.` : `Ask ${sellerName} anything before you order.`} Keep payments on Gigmarket: that is what protects you.</p>
      <form class="form" method="post" action={action}>
        <button type="submit">Open the conversation</button>
      </form>
    </section>
  );
}

export function ErrorPage({ status, message }: { status: number; message: string }) {
  return (
    <section class="error-page">
      <h1>{status === 404 ? "Page not found" : "Something went wrong"}</h1>
      <p>{message}</p>
      <p>
        <a class="button" href="/">
          Back to the home page
        </a>
      </p>
    </section>
  );
}

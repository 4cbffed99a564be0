// Sign-in must not tell a wrong password from an unknown email by its timing: both pay one password hash.
// Sequential requests (one at a time), each from its own address and account so no rate limit interferes.
import pg from "pg";
import { hashPassword } from "../workers/domain/password.ts";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function signIn(url: string, ip: string, email: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
    body: JSON.stringify({ email, password: "not the right password" }),
  });
  await res.arrayBuffer();
  if (res.status !== 401) throw new Error(`sign-in answered ${res.status}, expected 401`);
  return performance.now() - started;
}

export async function measureSignInTiming(url: string, databaseUrl: string, attempts = 40) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const passwordHash = await hashPassword("the real password of a bench account");
  const emails = Array.from({ length: attempts }, (_, i) => `bench-signin-${i}-${Date.now()}@example.com`);
  await client.query(
    "insert into users (email, name, password_hash) select e, 'Bench', $2 from unnest($1::text[]) as e",
    [emails, passwordHash],
  );
  await client.end();
  const wrongPassword: number[] = [];
  const unknownEmail: number[] = [];
  for (let i = 0; i < attempts; i++) {
    // Interleaved, so drift in machine load hits both the same way.
    wrongPassword.push(await signIn(url, `192.0.2.${i + 1}`, emails[i]!));
    unknownEmail.push(await signIn(url, `198.51.100.${i + 1}`, `nobody-${i}-${Date.now()}@example.com`));
  }
  return { wrongPasswordMs: median(wrongPassword), unknownEmailMs: median(unknownEmail) };
}

/** The sender when a workspace has set none. */
export function defaultEmailFrom(env: NodeJS.ProcessEnv = process.env): string {
  return env.EMAIL_FROM ?? "Sendline <no-reply@sendline.localhost>";
}

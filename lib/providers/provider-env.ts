/**
 * The environment a provider factory reads. Narrower than NodeJS.ProcessEnv (which Next
 * types with a required NODE_ENV) so tests can pass exactly the variables they mean.
 */
export type ProviderEnv = Readonly<Record<string, string | undefined>>;

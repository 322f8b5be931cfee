import { ENV_NAMES, ENV_VARIABLES, type EnvName, type EnvValues, type EnvVariable } from "./env-schema";

/** Any environment-like record: process.env, or exactly the variables a test means. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A variable whose value cannot be used; the message names it and says what is expected. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly variable: string,
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

export type EnvIssue = { variable: EnvName; message: string };

function shown(name: EnvName, raw: string): string {
  return (ENV_VARIABLES[name] as EnvVariable).secret ? "(set)" : JSON.stringify(raw);
}

function parse<K extends EnvName>(name: K, env: Env): { ok: true; value: EnvValues[K] } | { ok: false; issue: EnvIssue } {
  const raw = env[name];
  const parsed = ENV_VARIABLES[name].schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data as EnvValues[K] };
  const rule = parsed.error.issues.map((issue) => issue.message).join("; ");
  return { ok: false, issue: { variable: name, message: `${name}=${shown(name, String(raw))} ${rule}` } };
}

/**
 * One variable, typed and defaulted. Throws a ConfigError naming the variable when its value is
 * unusable, so a typo breaks only what reads it (an email send never trips on an SMS setting).
 */
export function envValue<K extends EnvName>(name: K, env: Env = process.env): EnvValues[K] {
  const result = parse(name, env);
  if (result.ok) return result.value;
  throw new ConfigError(result.issue.message, name);
}

/** The whole environment: every usable value (defaults filled in), and every unusable one by name. */
export function readEnv(env: Env = process.env): { values: Partial<EnvValues>; issues: EnvIssue[] } {
  const values: Partial<Record<EnvName, unknown>> = {};
  const issues: EnvIssue[] = [];
  for (const name of ENV_NAMES) {
    const result = parse(name, env);
    if (result.ok) values[name] = result.value;
    else issues.push(result.issue);
  }
  return { values: values as Partial<EnvValues>, issues };
}

import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** closed: calls go through; open: calls are refused until the cool-down ends; half-open: one trial call is out. */
export const BREAKER_STATES = ["closed", "open", "half-open"] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/**
 * One circuit breaker per provider of a channel (`key` is `email:resend`, `email:smtp`, ...),
 * kept in the database so every process sending through that provider shares one view of its
 * health: a breaker opened by one chunk run stops them all. Rows appear on the first failure.
 */
export const providerBreakers = pgTable("provider_breakers", {
  key: text("key").primaryKey(),
  state: text("state").$type<BreakerState>().notNull().default("closed"),
  /** Failures counted since `window_started_at`; the breaker opens when they reach the threshold. */
  failures: integer("failures").notNull().default(0),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true, precision: 3 }),
  openedAt: timestamp("opened_at", { withTimezone: true, precision: 3 }),
  /** When the half-open trial was claimed; a trial older than the cool-down is presumed lost and may be claimed again. */
  trialStartedAt: timestamp("trial_started_at", { withTimezone: true, precision: 3 }),
  lastError: text("last_error"),
  updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

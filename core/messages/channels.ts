/** Every channel a message can go out on; the database enum (db/schema/messaging.ts) is built from it. */
export const CHANNELS = ["email", "sms", "whatsapp", "push", "in_app"] as const;

export type Channel = (typeof CHANNELS)[number];

/**
 * What a channel's messages are addressed to. Email, SMS and WhatsApp go to an address kept on
 * the message row (the contact's at the time of the request); push goes to every device the
 * contact registered and in-app to the contact's inbox, so for those two the recipient is the
 * contact itself and a request must name one.
 */
export type ChannelAddress = "email" | "phone" | "contact";

export const CHANNEL_ADDRESS: Record<Channel, ChannelAddress> = {
  email: "email",
  sms: "phone",
  whatsapp: "phone",
  push: "contact",
  in_app: "contact",
};

/** What a campaign sends on: one rendered message per audience member, paced per provider account. */
export const CAMPAIGN_CHANNELS = ["email", "sms"] as const satisfies readonly Channel[];
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];

/** Channels whose messages have a title (an email's subject, a push or in-app message's heading). */
export const TITLED_CHANNELS: readonly Channel[] = ["email", "push", "in_app"];

export const CHANNEL_LABELS: Record<Channel, string> = {
  email: "Email",
  sms: "SMS",
  whatsapp: "WhatsApp",
  push: "Push",
  in_app: "In-app",
};

/**
 * What a channel does with a subject: an email and a push notification need one (the subject
 * line, the notification's title), an in-app message may have a heading, and text channels have
 * none.
 */
export const SUBJECT_RULE: Record<Channel, "required" | "optional" | "none"> = {
  email: "required",
  sms: "none",
  whatsapp: "none",
  push: "required",
  in_app: "optional",
};

/** The 400 message for a subject the channel does not take, or one it needs and lacks. */
export function subjectIssue(channel: Channel, subject: string | null | undefined): string | null {
  const rule = SUBJECT_RULE[channel];
  if (rule === "none" && subject) return `${CHANNEL_LABELS[channel]} has no subject`;
  if (rule === "required" && !subject) return channel === "push" ? "required for push (the notification's title)" : `required for ${channel}`;
  return null;
}

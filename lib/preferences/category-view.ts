import type { NotificationCategory } from "@/db/queries/notification-categories";

/** A category as the API shows it. */
export function categoryView(category: NotificationCategory) {
  return {
    key: category.key,
    name: category.name,
    description: category.description,
    required: category.required,
    urgent: category.urgent,
    channelDefaults: category.channelDefaults,
    createdAt: category.createdAt.toISOString(),
    updatedAt: category.updatedAt.toISOString(),
  };
}

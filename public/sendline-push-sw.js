/*
 * Sendline's push service worker. Serve it from your own origin (copy it, or `importScripts()`
 * it from your existing service worker) and register it:
 *
 *   const registration = await navigator.serviceWorker.register("/sendline-push-sw.js");
 *
 * It shows each notification Sendline sends (Web Push, or FCM's `data.sendline`) and reports
 * "delivered" when shown and "clicked" when clicked, to the signed per-message URL carried in the
 * payload, which moves the message forward in Sendline. Nothing else is sent anywhere.
 */

/** The Sendline payload of a push event: Web Push carries it as the body, FCM as `data.sendline`. */
function sendlinePayload(event) {
  if (!event.data) return null;
  let json;
  try {
    json = event.data.json();
  } catch {
    return null;
  }
  if (json && typeof json.data === "object" && json.data && typeof json.data.sendline === "string") {
    try {
      json = JSON.parse(json.data.sendline);
    } catch {
      return null;
    }
  }
  return json && json.v === 1 && typeof json.title === "string" && typeof json.report === "string" ? json : null;
}

/** A bodiless POST needs no CORS preflight; a failed report is dropped (reports are best effort). */
function report(payload, what) {
  return fetch(`${payload.report}/${what}`, { method: "POST", mode: "cors", credentials: "omit", keepalive: true }).catch(() => undefined);
}

self.addEventListener("push", (event) => {
  const payload = sendlinePayload(event);
  if (!payload) return;
  event.waitUntil(
    self.registration
      .showNotification(payload.title, { body: payload.body, tag: payload.messageId, data: { sendline: payload } })
      .then(() => report(payload, "delivered")),
  );
});

self.addEventListener("notificationclick", (event) => {
  const payload = event.notification.data && event.notification.data.sendline;
  if (!payload) return;
  event.notification.close();
  const open = payload.url ? self.clients.openWindow(payload.url) : Promise.resolve();
  event.waitUntil(Promise.all([open, report(payload, "clicked")]));
});

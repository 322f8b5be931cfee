import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Sendline", template: "%s · Sendline" },
  description: "Sendline: messaging and CRM background work as Inngest functions.",
  robots: { index: false, follow: false },
};

/** The bare document. The operator console's chrome lives in app/(dashboard)/layout.tsx, so
 * public pages (unsubscribe confirmations and the like) never show it. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}

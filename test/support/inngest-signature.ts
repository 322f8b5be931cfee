/** Signs a request body as an Inngest server does (the local engine's implementation), for tests that play the server. */
export { canonicalBody, signBody } from "@/engine/signing";

import type { NextConfig } from "next";

/** Types for next.config.js (kept as JavaScript, as Next loads it before any TypeScript tooling). */
declare function nextConfig(phase: string): NextConfig;
export default nextConfig;

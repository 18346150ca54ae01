// `compression` ships no types (and @types/compression is not installed): the one call the server makes.
declare module "compression" {
  import type { RequestHandler } from "express";
  export default function compression(options?: Record<string, unknown>): RequestHandler;
}

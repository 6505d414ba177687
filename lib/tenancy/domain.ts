import { NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";

/**
 * The console has one tenancy Domain, and every account and Project belongs
 * to it. It is not stored: there is nothing about it to change. Clients of
 * the contract still need to learn its id (whoami, GET /v1/domains) and be
 * told when they name another one.
 */
export const DEFAULT_DOMAIN = {
  id: "00000000-0000-7000-8000-000000000001",
  name: "Default",
  slug: "default",
  description: "The console's only Domain: every account and Project belongs to it.",
  // There is no node mesh here, so the Domain owns no mesh pool (its answers omit mesh_cidr) and sets no heartbeat policy of its own.
  meshCidr: null as string | null,
  reachability: { heartbeat_interval: "30s", stale_after: "90s", unreachable_after: "300s" },
  // The day the console's schema came to be (prisma/migrations/20261122000000_init).
  createdAt: new Date("2026-11-22T00:00:00Z"),
} as const;

export const DEFAULT_DOMAIN_ID = DEFAULT_DOMAIN.id;

export function isKnownDomain(id: string): boolean {
  return isUuid(id) && id.toLowerCase() === DEFAULT_DOMAIN_ID;
}

/** The Domain by id; any other id is `domain_not_found`, as the contract says for a Domain that does not exist. */
export function findDomain(id: string): typeof DEFAULT_DOMAIN {
  if (!isKnownDomain(id)) throw new NotFoundError("domain_not_found", "There is no Domain with this id.");
  return DEFAULT_DOMAIN;
}

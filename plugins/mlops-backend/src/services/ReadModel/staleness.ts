/**
 * The read model's staleness rule: the only one, written only here, used by every cache of the
 * read routes (`GET …/status`, `GET …/metrics`).
 *
 * What may be stale, and for how long: an answer of a read route may rest on these facts up to
 * READ_STALENESS_MS after their source changed, never longer:
 * - who the caller is: a bearer token verified earlier, for the exact token string and never
 *   past the token's own expiry;
 * - the permission policy's answers for the caller on `mlops.workload.read` and
 *   `catalog.entity.read` (and, where the read answer is conditional, per entity);
 * - the catalog's workload entities (a deleted or re-annotated entity); "not found" is never
 *   remembered, so a newly registered entity shows at once;
 * - reconcile records written by another backend replica (this process's own writes show at once);
 * - Prometheus' answer for the same entity, range and step.
 *
 * What is never stale: `POST …/sync` verifies the token and asks the policy and the catalog
 * afresh, because it writes to a cluster. Live objects come from the watch cache, which follows
 * the API server's watch events instead of expiring.
 *
 * Why 5 s: each open entity page polls status every 10 s and metrics every 15 s, from several
 * cards; a dashboard asks for many entities at once. Within 5 s all of that shares one token
 * check, one policy request, one catalog query and one database query, which is what keeps a view
 * at no API-server request and a fraction of a millisecond of backend CPU (docs/read-model.md has
 * the measurements). The price is that a revoked read permission, an entity hidden from a user or
 * another replica's reconcile result shows up to 5 s late: less than one poll interval, and never
 * on a write.
 */
export const READ_STALENESS_MS = 5_000;

/**
 * Bodies of the mlops-backend REST API, shared by the backend and the frontend so the two
 * cannot drift apart. Later issues add status and metrics bodies here.
 */

/** `GET /api/mlops/v1/health`. @public */
export interface MlopsHealthResponse {
  status: 'ok';
  /** Names of the clusters configured under `mlops.clusters`. */
  clusters: string[];
}

/** Outcome of the last reconcile pass of an entity. @public */
export type MlopsReconcileResult =
  /** Every object applied (or unchanged) and leftovers pruned. */
  | 'synced'
  /** A rule refused the entity (kind, namespace, owner, pod security, unreadable manifests): nothing applied. */
  | 'refused'
  /** Another field manager owns a field we set; reported, not forced. */
  | 'conflict'
  /** Applied, but the prune would delete more than the allowed share; needs a confirmed sync. */
  | 'prune-blocked'
  /** The cluster failed (unreachable, rejected an object, …); retried on the next pass. */
  | 'failed';

/** What happened to one object in a pass. @public */
export interface MlopsObjectOutcome {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  action: 'created' | 'updated' | 'unchanged' | 'pruned' | 'kept' | 'failed';
  /** Field paths someone else changed on the live object since our last apply. */
  drift?: string[];
  /** Other entities that also declare this object; they are refused, this entity owns it. */
  contestedBy?: string[];
  message?: string;
}

/** The reconcile record of an entity, as kept in the plugin's database. @public */
export interface MlopsReconcileStatus {
  entityRef: string;
  cluster: string;
  namespace: string;
  /** Content hash of the manifests directory that was reconciled. */
  revision?: string;
  result: MlopsReconcileResult;
  /** Why, for anything but `synced`: one reason per line. */
  message?: string;
  objects: MlopsObjectOutcome[];
  /** Objects whose live state had drifted from the repo in the last pass. */
  driftCount: number;
  lastAttemptAt: string;
  lastSuccessAt?: string;
}

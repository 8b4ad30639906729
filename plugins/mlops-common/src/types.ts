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

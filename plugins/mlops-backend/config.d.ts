export interface Config {
  /** Configuration of the MLOps plugins (reconciler, status and metrics). */
  mlops?: {
    /**
     * Clusters that MLOps workloads are reconciled to. An entity chooses one with the
     * `mlops/cluster` annotation; with a single cluster the annotation is optional.
     */
    clusters?: Array<{
      /** Name that entities use in `mlops/cluster`. Unique. */
      name: string;
      /** URL of the cluster's API server, e.g. https://10.0.0.1:6443. */
      url: string;
      /**
       * Base64-encoded PEM bundle of the API server's CA.
       * @visibility secret
       */
      caData?: string;
      /** Path of a PEM CA bundle file, as an alternative to caData. */
      caFile?: string;
      /** Skip TLS verification. Only for local sandboxes. */
      skipTLSVerify?: boolean;
      /** How the reconciler authenticates. Exactly one of the two. */
      auth: {
        /** Path of a file holding a ServiceAccount token (re-read when it rotates). */
        serviceAccountTokenFile?: string;
        /** A context of the kubeconfig given by KUBECONFIG or ~/.kube/config. */
        kubeconfigContext?: string;
      };
      /**
       * Namespaces that workloads may be applied to, each with the catalog owners
       * (entity refs such as `group:default/ml-platform`) allowed to use it.
       */
      namespaces: Array<{
        name: string;
        owners: string[];
        /**
         * ServiceAccount in this namespace that applies are impersonated as, so the
         * cluster's RBAC stays the last guard. Default `backstage-mlops`.
         */
        serviceAccount?: string;
      }>;
      /** Prometheus that holds this cluster's vLLM, Triton and DCGM metrics. */
      prometheus?: {
        /** Base URL, e.g. http://prometheus.monitoring:9090. Never taken from an entity. */
        url: string;
      };
      /** Take fields from other field managers on conflict instead of reporting it. Default false. */
      forceConflicts?: boolean;
    }>;
    reconcile?: {
      /** How often every workload is reconciled, e.g. `{ minutes: 1 }`. Default 1 minute. */
      interval?: { seconds?: number; minutes?: number; hours?: number };
      /** Largest share (0–1) of an entity's objects one pass may prune without confirmation. Default 0.5. */
      maxPruneShare?: number;
      /**
       * Longest one pass may hold the lock shared by backend replicas. A replica killed
       * mid-pass is replaced after this plus up to a minute. Default 10 minutes.
       */
      timeout?: { seconds?: number; minutes?: number; hours?: number };
    };
  };
}

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
         * Repositories whose entities may deploy here, matched against the location the
         * catalog recorded for the entity (`backstage.io/managed-by-location`), as Argo CD's
         * AppProject `sourceRepos`. URLs or absolute paths; `*` matches within one path
         * segment, `**` across segments; a pattern matches at a path boundary, e.g.
         * `https://github.com/acme/ml-*` or `/srv/backstage/repos/*`. Required: an entity
         * whose location matches none is refused, whatever its `spec.owner` says.
         */
        sources: string[];
        /**
         * ServiceAccount in this namespace that applies are impersonated as, so the
         * cluster's RBAC stays the last guard. Default `backstage-mlops`; never `default`.
         * No pod of a workload may run as it.
         */
        serviceAccount?: string;
        /** More ServiceAccounts that no pod of a workload here may run as. */
        deniedServiceAccounts?: string[];
        /**
         * Service types besides ClusterIP that workloads here may create: `NodePort`,
         * `LoadBalancer`, `ExternalName`. Default none. `externalIPs` are always refused.
         */
        allowedServiceTypes?: Array<
          'NodePort' | 'LoadBalancer' | 'ExternalName'
        >;
        /**
         * Take over an object that exists here without MLOps ownership (created by hand or
         * by another tool) instead of refusing it. Default false. Objects owned by another
         * entity are never taken over.
         */
        adoptUnowned?: boolean;
      }>;
      /** Prometheus that holds this cluster's vLLM, Triton and DCGM metrics. */
      prometheus?: {
        /** Base URL, e.g. http://prometheus.monitoring:9090. Never taken from an entity. */
        url: string;
        /**
         * Label of the series that holds the pod's `mlops/entity` label value, which every
         * pod of a workload carries: what a PodMonitor's `podTargetLabels: [mlops/entity]`
         * (and dcgm-exporter's pod labels) produce. Default `mlops_entity`.
         */
        entityLabel?: string;
      };
      /** Take fields from other field managers on conflict instead of reporting it. Default false. */
      forceConflicts?: boolean;
    }>;
    manifests?: {
      /**
       * Directories under which entities with a `file` location have their manifests read.
       * Default: the directories of this app-config's own `catalog.locations` of type file.
       * Entities with a `url` location are read through the UrlReader and its integrations.
       */
      allowedFileRoots?: string[];
    };
    policy?: {
      /** ServiceAccounts that no pod of any workload may run as, in every namespace. */
      deniedServiceAccounts?: string[];
    };
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
      /**
       * Entities one cluster's pass reconciles at once (1–64). Each entity's independent
       * reads and each apply stage go out together, so a pass has a few times this many
       * requests in flight. Default 4.
       */
      concurrency?: number;
    };
  };
}

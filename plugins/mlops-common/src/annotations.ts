/**
 * Catalog annotations that make an entity an MLOps workload.
 * Defined once here; every other package imports these constants.
 */

/** Directory of manifests, relative to the entity's catalog-info.yaml (e.g. `./deploy`). @public */
export const ANNOTATION_MLOPS_MANIFESTS = 'mlops/manifests';
/** Cluster name from config; optional where one cluster is configured. @public */
export const ANNOTATION_MLOPS_CLUSTER = 'mlops/cluster';
/** Target namespace of every object of the entity. @public */
export const ANNOTATION_MLOPS_NAMESPACE = 'mlops/namespace';
/** `training` or `serving`; cards choose what to show from it. @public */
export const ANNOTATION_MLOPS_WORKLOAD = 'mlops/workload';
/** The stock Kubernetes plugin's annotation; every rendered object carries it as a label too. @public */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';

/** Label on every object the reconciler applies. @public */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
/** Value of {@link LABEL_MANAGED_BY} for our objects. @public */
export const MANAGED_BY_VALUE = 'backstage-mlops';
/** Label holding a hash of the owning entity ref (label values cannot hold `:` or `/`). @public */
export const LABEL_MLOPS_ENTITY = 'mlops/entity';
/** Annotation naming the owning entity exactly, as `kind:namespace/name`. @public */
export const ANNOTATION_MLOPS_ENTITY_REF = 'mlops/entity-ref';
/** Server-side apply field manager of the reconciler. @public */
export const MLOPS_FIELD_MANAGER = 'backstage-mlops';

import type { UrlReaderService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  formatManifestProblem,
  readMlopsAnnotations,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ClusterConfig, MlopsConfig } from '../../config';
import { normalizeOwnerRef } from '../../config';
import { LruMap } from '../../lib/LruMap';
import { ManifestMemo } from '../ManifestSource/ManifestMemo';
import { manifestLocation } from '../ManifestSource/manifestLocation';
import { readEntityManifests } from '../ManifestSource/readEntityManifests';
import { checkEntityPolicy } from '../Policy/checkEntityPolicy';
import { namedReferences, type NamedReference } from '../Policy/references';
import { desiredState, type DesiredObject } from './desiredState';
import { objectId } from './objectId';

/** An entity's checked desired state, kept while its inputs stay the same. */
export interface PreparedEntity {
  cluster: ClusterConfig;
  namespace: string;
  revision?: string;
  desired: DesiredObject[];
  /** The identity the pass writes as: the namespace's ServiceAccount. */
  asUser: string;
  /** Object ids of `desired`, as claimed. */
  ids: string[];
  /** ConfigMaps and PVCs the pods use by name. */
  references: Array<{ from: DesiredObject; ref: NamedReference }>;
  adoptUnowned: boolean;
}

export type Preparation =
  | { ok: true; entity: PreparedEntity }
  | { ok: false; refusal: string; cluster?: string; revision?: string };

/** Entities whose checked desired state is kept between passes (least recently used dropped first). */
const MAX_PREPARED = 10_000;

function ownerOf(entity: Entity): string | undefined {
  const owner =
    entity.relations?.find(r => r.type === 'ownedBy')?.targetRef ??
    (entity.spec?.owner as string | undefined);
  return owner ? normalizeOwnerRef(owner) : undefined;
}

function pickCluster(
  config: MlopsConfig,
  name: string | undefined,
): ClusterConfig | string {
  const names = config.clusters.map(c => c.name).join(', ') || 'none';
  if (name) {
    return (
      config.clusters.find(c => c.name === name) ??
      `mlops/cluster "${name}" is not configured; configured clusters: ${names}`
    );
  }
  return config.clusters.length === 1
    ? config.clusters[0]
    : `mlops/cluster is required when ${config.clusters.length} clusters are configured (${names})`;
}

/**
 * Reads an entity's manifests and checks them against the policy, or says why it is refused.
 * The checked result is kept while the manifests' revision, source, owner, namespace and
 * cluster stay the same, so a pass over unchanged entities checks nothing again.
 */
export function createEntityPreparer(deps: {
  config: MlopsConfig;
  reader: UrlReaderService;
}) {
  const manifestMemo = new ManifestMemo();
  const prepared = new LruMap<
    string,
    { inputs: string; entity: PreparedEntity }
  >(MAX_PREPARED);

  return async function prepare(
    entity: Entity,
    entityRef: string,
  ): Promise<Preparation> {
    const annotations = readMlopsAnnotations(entity);
    if (!annotations) {
      return { ok: false, refusal: 'entity has no mlops/manifests annotation' };
    }
    if (!annotations.namespace) {
      return { ok: false, refusal: 'mlops/namespace is required' };
    }
    const cluster = pickCluster(deps.config, annotations.cluster);
    if (typeof cluster === 'string') return { ok: false, refusal: cluster };
    const refused = (refusal: string, revision?: string): Preparation => ({
      ok: false,
      refusal,
      cluster: cluster.name,
      revision,
    });
    const owner = ownerOf(entity);
    if (!owner) return refused('entity has no owner (spec.owner)');
    let read;
    let sourceUrl: string;
    try {
      sourceUrl = manifestLocation(entity).sourceUrl;
      read = await readEntityManifests(entity, deps.reader, {
        memo: manifestMemo,
        allowedFileRoots: deps.config.manifests.allowedFileRoots,
      });
    } catch (error) {
      return refused(
        `manifests could not be read: ${(error as Error).message}`,
      );
    }
    if (read.problems.length > 0) {
      return refused(
        read.problems.map(formatManifestProblem).join('\n'),
        read.revision,
      );
    }
    // Everything the checked desired state depends on; the cluster config is fixed at start.
    const inputs = [
      read.revision,
      sourceUrl,
      owner,
      annotations.namespace,
      annotations.kubernetesId ?? '',
      cluster.name,
    ].join('\0');
    const found = prepared.get(entityRef);
    if (found?.inputs === inputs) return { ok: true, entity: found.entity };
    prepared.delete(entityRef);
    const policy = checkEntityPolicy({
      entityRef,
      owner,
      sourceUrl,
      namespace: annotations.namespace,
      cluster,
      manifests: read.manifests,
    });
    if (!policy.allowed) {
      return refused(policy.reasons.join('\n'), read.revision);
    }
    const desired = desiredState(read.manifests, {
      entityRef,
      namespace: annotations.namespace,
      kubernetesId: annotations.kubernetesId,
    });
    const checked: PreparedEntity = {
      cluster,
      namespace: annotations.namespace,
      revision: read.revision,
      asUser: `system:serviceaccount:${annotations.namespace}:${policy.namespaceRule.serviceAccount}`,
      desired,
      ids: desired.map(d => objectId(d.key)),
      references: desired.flatMap(from =>
        namedReferences(from.object).map(ref => ({ from, ref })),
      ),
      adoptUnowned: policy.namespaceRule.adoptUnowned,
    };
    prepared.set(entityRef, { inputs, entity: checked });
    return { ok: true, entity: checked };
  };
}

export type EntityPreparer = ReturnType<typeof createEntityPreparer>;

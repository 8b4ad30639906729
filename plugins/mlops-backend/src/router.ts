import type {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  isMlopsWorkload,
  readMlopsAnnotations,
  type MlopsEntityStatusResponse,
  mlopsWorkloadReadPermission,
  mlopsWorkloadSyncPermission,
  type MlopsHealthResponse,
} from '@internal/backstage-plugin-mlops-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { MlopsConfig } from './config';
import type { Reconciler } from './services/Reconciler/createReconciler';
import type { ReconcileStore } from './services/Store/ReconcileStore';
import type { ClusterWatchCache } from './services/StatusCache/ClusterWatchCache';
import { entityStatus } from './services/StatusCache/entityStatus';
import { entityLabelValue } from './services/Reconciler/ownership';

export interface RouterOptions {
  config: MlopsConfig;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  reconciler: Reconciler;
  store: ReconcileStore;
  caches: Map<string, ClusterWatchCache>;
  logger: LoggerService;
}

const entityParams = z.object({
  kind: z
    .string()
    .regex(
      /^[A-Za-z0-9-]{1,63}$/,
      'kind must be a catalog kind such as component',
    ),
  namespace: z
    .string()
    .regex(
      /^[A-Za-z0-9._-]{1,63}$/,
      'namespace must be a catalog namespace such as default',
    ),
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,253}$/, 'name must be a catalog entity name'),
});
const syncBody = z.object({ confirmPrune: z.boolean().optional() }).strict();

/** The REST API, versioned under `/v1`. Every route but health needs a user and a permission. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, catalog } = options;
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  router.get('/v1/health', (_req, res) => {
    const body: MlopsHealthResponse = {
      status: 'ok',
      clusters: options.config.clusters.map(c => c.name),
    };
    res.json(body);
  });

  async function authorizedEntity(
    req: express.Request,
    permission: BasicPermission,
  ) {
    const parsed = entityParams.safeParse(req.params);
    if (!parsed.success) {
      throw new InputError(
        parsed.error.issues
          .map(i => `${i.path.join('.')}: ${i.message}`)
          .join('; '),
      );
    }
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`missing permission ${permission.name}`);
    }
    const { kind, namespace, name } = parsed.data;
    const entity = await catalog.getEntityByRef(
      { kind, namespace, name },
      { credentials },
    );
    if (!entity) {
      throw new NotFoundError(`entity ${kind}:${namespace}/${name} not found`);
    }
    if (!isMlopsWorkload(entity)) {
      throw new NotFoundError(
        `entity ${kind}:${namespace}/${name} has no mlops/manifests annotation`,
      );
    }
    return entity;
  }

  router.get('/v1/entities/:kind/:namespace/:name/status', async (req, res) => {
    const entity = await authorizedEntity(req, mlopsWorkloadReadPermission);
    const ref = `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
      entity.metadata.name
    }`.toLowerCase();
    const reconcile = (await options.store.getStatus(ref)) ?? null;
    const clusterName =
      readMlopsAnnotations(entity)?.cluster ??
      (options.config.clusters.length === 1
        ? options.config.clusters[0].name
        : undefined);
    const cache = clusterName ? options.caches.get(clusterName) : undefined;
    const body: MlopsEntityStatusResponse = entityStatus(
      ref,
      reconcile,
      cache?.objectsOf(entityLabelValue(ref)) ?? [],
      cache?.isReady() ?? false,
    );
    res.json(body);
  });

  router.post('/v1/entities/:kind/:namespace/:name/sync', async (req, res) => {
    const body = syncBody.safeParse(req.body ?? {});
    if (!body.success) {
      throw new InputError(
        `body: ${body.error.issues
          .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
          .join('; ')}; accepted: {"confirmPrune": boolean}`,
      );
    }
    const entity = await authorizedEntity(req, mlopsWorkloadSyncPermission);
    const status = await options.reconciler.reconcile(entity, {
      confirmPrune: body.data.confirmPrune,
    });
    res.json(status);
  });

  return router;
}

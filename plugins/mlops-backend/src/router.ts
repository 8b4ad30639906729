import type {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  isMlopsWorkload,
  readMlopsAnnotations,
  type MlopsEntityStatusResponse,
  mlopsWorkloadReadPermission,
  mlopsWorkloadSyncPermission,
  type MlopsHealthResponse,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DEFAULT_PROMETHEUS_ENTITY_LABEL, type MlopsConfig } from './config';
import type { Reconciler } from './services/Reconciler/createReconciler';
import type { ReconcileStore } from './services/Store/ReconcileStore';
import type { CachedEntityLookup } from './services/RequestCache/CachedEntityLookup';
import type { CachedPermissions } from './services/RequestCache/CachedPermissions';
import type {
  EncodedBodies,
  EncodedBody,
} from './services/RequestCache/EncodedBodies';
import type { VerifiedTokens } from './services/RequestCache/VerifiedTokens';
import type { ClusterWatchCache } from './services/StatusCache/ClusterWatchCache';
import { entityStatus } from './services/StatusCache/entityStatus';
import {
  CLOCK_DEPENDENT_KINDS,
  statusVersion,
} from './services/StatusCache/statusVersion';
import {
  parseDuration,
  type PrometheusMetrics,
} from './services/Metrics/PrometheusMetrics';
import { entityLabelValue } from './services/Reconciler/ownership';

export interface RouterOptions {
  config: MlopsConfig;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  /** Remembered decisions and entities for the read routes; sync always asks afresh. */
  cachedPermissions: CachedPermissions;
  cachedCatalog: CachedEntityLookup;
  /**
   * Read routes verify bearer tokens through this (the plugin lets them past the framework's
   * own check, which would verify every request again); sync stays behind that check.
   */
  verifiedTokens: VerifiedTokens;
  /** Status bodies already serialized and compressed, per entity. */
  statusBodies: EncodedBodies;
  reconciler: Reconciler;
  /** Reconcile records; the plugin passes an in-memory snapshot of the table, at most 2 s old. */
  store: Pick<ReconcileStore, 'getStatus'>;
  caches: Map<string, ClusterWatchCache>;
  metrics: Map<string, PrometheusMetrics>;
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
const metricsQuery = z
  .object({
    range: z.string().default('15m'),
    step: z.string().default('30s'),
  })
  .strict();
const syncBody = z.object({ confirmPrune: z.boolean().optional() }).strict();

/** Sends prepared bytes; the root router's compression leaves an encoded body alone. */
function sendEncoded(
  req: express.Request,
  res: express.Response,
  body: EncodedBody,
) {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('ETag', body.etag);
  res.vary('Accept-Encoding');
  if (req.acceptsEncodings('gzip') === 'gzip') {
    res.setHeader('Content-Encoding', 'gzip');
    res.send(body.gzip);
  } else {
    res.send(body.json);
  }
}

/** The REST API, versioned under `/v1`. Every route but health needs a user and a permission. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, catalog, cachedPermissions, cachedCatalog } =
    options;
  const router = Router();
  const { clusters } = options.config;
  const defaultCluster = clusters.length === 1 ? clusters[0].name : undefined;
  const clusterOf = (entity: Parameters<typeof readMlopsAnnotations>[0]) =>
    readMlopsAnnotations(entity)?.cluster ?? defaultCluster;

  router.get('/v1/health', (_req, res) => {
    const body: MlopsHealthResponse = {
      status: 'ok',
      clusters: clusters.map(c => c.name),
    };
    res.json(body);
  });

  const parseEntityParams = (req: express.Request) => {
    const parsed = entityParams.safeParse(req.params);
    if (!parsed.success) {
      throw new InputError(
        parsed.error.issues
          .map(i => `${i.path.join('.')}: ${i.message}`)
          .join('; '),
      );
    }
    return parsed.data;
  };

  /** Who asks: answers 401 before any parameter is looked at. */
  const callerOf = (req: express.Request, { fresh }: { fresh: boolean }) =>
    fresh
      ? httpAuth.credentials(req, { allow: ['user', 'service'] })
      : options.verifiedTokens.credentials(req);

  /**
   * The entity the caller may act on, after authentication, parameter checks and a decision on
   * the resource permission for this entity (so a policy can use the catalog's rules such as
   * isEntityOwner). Unknown and invisible entities both answer 404.
   */
  async function authorizedEntity(
    req: express.Request,
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    { fresh }: { fresh: boolean },
  ) {
    const { kind, namespace, name } = parseEntityParams(req);
    const resourceRef = stringifyEntityRef({
      kind,
      namespace,
      name,
    }).toLowerCase();
    const result = fresh
      ? (
          await permissions.authorize([{ permission, resourceRef }], {
            credentials,
          })
        )[0].result
      : await cachedPermissions.authorize(permission, resourceRef, credentials);
    if (result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`missing permission ${permission.name}`);
    }
    const entity = fresh
      ? await catalog.getEntityByRef({ kind, namespace, name }, { credentials })
      : await cachedCatalog.getEntityByRef(
          { kind, namespace, name },
          credentials,
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
    const credentials = await callerOf(req, { fresh: false });
    const entity = await authorizedEntity(
      req,
      credentials,
      mlopsWorkloadReadPermission,
      { fresh: false },
    );
    const ref = stringifyEntityRef(entity).toLowerCase();
    const reconcile = (await options.store.getStatus(ref)) ?? null;
    const cluster = clusterOf(entity);
    const cache = cluster ? options.caches.get(cluster) : undefined;
    const objects = cache?.objectsOf(entityLabelValue(ref)) ?? [];
    const cacheReady = cache?.isReady() ?? false;
    const hpaOf = (namespace: string, name: string) =>
      cache?.hpa(namespace, name);
    // Durations are whole seconds: a clock-dependent body is reused within its second.
    const clocked = objects.some(o => CLOCK_DEPENDENT_KINDS.has(o.kind));
    const now = clocked ? Math.floor(Date.now() / 1000) * 1000 : Date.now();
    const version = statusVersion({
      reconcile,
      objects,
      cacheReady,
      second: clocked ? now : undefined,
      hpaOf,
    });
    const body = options.statusBodies.get(
      ref,
      version,
      (): MlopsEntityStatusResponse =>
        entityStatus(ref, reconcile, objects, cacheReady, now, hpaOf),
    );
    sendEncoded(req, res, body);
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/metrics',
    async (req, res) => {
      const credentials = await callerOf(req, { fresh: false });
      const query = metricsQuery.safeParse(req.query);
      const range = query.success ? parseDuration(query.data.range) : undefined;
      const step = query.success ? parseDuration(query.data.step) : undefined;
      if (
        !range ||
        !step ||
        range > 7 * 86400 ||
        step < 5 ||
        range / step > 1000
      ) {
        throw new InputError(
          'range and step must be durations such as 15m and 30s (s, m or h), with step >= 5s, range <= 7 days and at most 1000 points',
        );
      }
      const entity = await authorizedEntity(
        req,
        credentials,
        mlopsWorkloadReadPermission,
        { fresh: false },
      );
      const ref = stringifyEntityRef(entity).toLowerCase();
      const annotations = readMlopsAnnotations(entity)!;
      const cluster = clusterOf(entity);
      const cache = cluster ? options.caches.get(cluster) : undefined;
      const server = cache
        ?.objectsOf(entityLabelValue(ref))
        .find(o => o.kind === 'Deployment' || o.kind === 'StatefulSet');
      const images: string[] = (
        server?.spec?.template?.spec?.containers ?? []
      ).map((c: any) => String(c.image));
      const engine = images.some(i => /triton/i.test(i)) ? 'triton' : 'vllm';
      const metrics = cluster ? options.metrics.get(cluster) : undefined;
      if (!metrics) {
        throw new NotFoundError(`entity ${ref} has no configured cluster`);
      }
      const body = await metrics.query({
        entityRef: ref,
        engine,
        selector: {
          namespace: annotations.namespace ?? 'default',
          entityLabel: {
            name:
              clusters.find(c => c.name === cluster)?.prometheusEntityLabel ??
              DEFAULT_PROMETHEUS_ENTITY_LABEL,
            value: entityLabelValue(ref),
          },
        },
        rangeSeconds: range,
        stepSeconds: step,
      });
      res.json(body);
    },
  );

  // Only sync takes a body; the read routes skip the parser.
  router.post(
    '/v1/entities/:kind/:namespace/:name/sync',
    express.json({ limit: '16kb' }),
    async (req, res) => {
      const credentials = await callerOf(req, { fresh: true });
      const body = syncBody.safeParse(req.body ?? {});
      if (!body.success) {
        throw new InputError(
          `body: ${body.error.issues
            .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
            .join('; ')}; accepted: {"confirmPrune": boolean}`,
        );
      }
      // It writes to clusters: no remembered decision or entity, however recent.
      const entity = await authorizedEntity(
        req,
        credentials,
        mlopsWorkloadSyncPermission,
        { fresh: true },
      );
      const status = await options.reconciler.reconcile(entity, {
        confirmPrune: body.data.confirmPrune,
      });
      res.json(status);
    },
  );

  return router;
}

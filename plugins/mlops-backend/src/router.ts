import type { MlopsHealthResponse } from '@mlops-plugins/backstage-plugin-mlops-common';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { parseDuration } from './services/Metrics/PrometheusMetrics';
import type { Reconciler } from './services/Reconciler/createReconciler';
import type { Callers } from './services/ReadModel/Callers';
import type { EntityAccess } from './services/ReadModel/EntityAccess';
import type { MetricsReader } from './services/ReadModel/MetricsReader';
import type {
  EncodedBody,
  StatusReader,
} from './services/ReadModel/StatusReader';

export interface RouterOptions {
  /** The configured cluster names, which health reveals. */
  clusters: string[];
  callers: Callers;
  access: EntityAccess;
  status: StatusReader;
  metrics: MetricsReader;
  reconciler: Pick<Reconciler, 'reconcile'>;
}

/** The routes that only read; `RouterOptions.callers.reader` answers who calls them. */
export const READ_ROUTES = {
  status: '/v1/entities/:kind/:namespace/:name/status',
  metrics: '/v1/entities/:kind/:namespace/:name/metrics',
};

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

function parseEntityParams(req: express.Request) {
  const parsed = entityParams.safeParse(req.params);
  if (!parsed.success) {
    throw new InputError(
      parsed.error.issues
        .map(i => `${i.path.join('.')}: ${i.message}`)
        .join('; '),
    );
  }
  return parsed.data;
}

function parseMetricsWindow(req: express.Request) {
  const query = metricsQuery.safeParse(req.query);
  const range = query.success ? parseDuration(query.data.range) : undefined;
  const step = query.success ? parseDuration(query.data.step) : undefined;
  if (!range || !step || range > 7 * 86400 || step < 5 || range / step > 1000) {
    throw new InputError(
      'range and step must be durations such as 15m and 30s (s, m or h), with step >= 5s, range <= 7 days and at most 1000 points',
    );
  }
  return { rangeSeconds: range, stepSeconds: step };
}

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

/**
 * The REST API, versioned under `/v1`. Every route but health needs a user or service caller
 * (401 before any parameter is looked at) and a permission on the entity it names.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { callers, access } = options;
  const router = Router();

  router.get('/v1/health', (_req, res) => {
    const body: MlopsHealthResponse = {
      status: 'ok',
      clusters: options.clusters,
    };
    res.json(body);
  });

  router.get(READ_ROUTES.status, async (req, res) => {
    const credentials = await callers.reader(req);
    const workload = await access.readable(parseEntityParams(req), credentials);
    sendEncoded(req, res, await options.status.read(workload));
  });

  router.get(READ_ROUTES.metrics, async (req, res) => {
    const credentials = await callers.reader(req);
    const window = parseMetricsWindow(req);
    const workload = await access.readable(parseEntityParams(req), credentials);
    res.json(await options.metrics.read(workload, window));
  });

  // Only sync takes a body; the read routes skip the parser.
  router.post(
    '/v1/entities/:kind/:namespace/:name/sync',
    express.json({ limit: '16kb' }),
    async (req, res) => {
      const credentials = await callers.writer(req);
      const body = syncBody.safeParse(req.body ?? {});
      if (!body.success) {
        throw new InputError(
          `body: ${body.error.issues
            .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
            .join('; ')}; accepted: {"confirmPrune": boolean}`,
        );
      }
      const workload = await access.syncable(
        parseEntityParams(req),
        credentials,
      );
      const status = await options.reconciler.reconcile(workload.entity, {
        confirmPrune: body.data.confirmPrune,
      });
      res.json(status);
    },
  );

  return router;
}

import express from 'express';
import Router from 'express-promise-router';
import type { MlopsHealthResponse } from '@internal/backstage-plugin-mlops-common';
import type { ConfiguredCluster } from './config';

export interface RouterOptions {
  clusters: ConfiguredCluster[];
}

/** The REST API, versioned under `/v1` so the frontend and backend can move independently. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  router.use(express.json());

  router.get('/v1/health', (_req, res) => {
    const body: MlopsHealthResponse = {
      status: 'ok',
      clusters: options.clusters.map(c => c.name),
    };
    res.json(body);
  });

  return router;
}

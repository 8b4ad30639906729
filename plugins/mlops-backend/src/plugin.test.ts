import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { mlopsPlugin } from './plugin';

describe('mlopsPlugin', () => {
  it('answers /v1/health without a token and lists the configured clusters', async () => {
    const { server } = await startTestBackend({
      features: [
        mlopsPlugin,
        mockServices.rootConfig.factory({
          data: {
            mlops: {
              clusters: [
                {
                  name: 'gpu-east',
                  url: 'https://127.0.0.1:6443',
                  auth: {},
                  namespaces: [],
                },
                {
                  name: 'gpu-west',
                  url: 'https://127.0.0.1:6444',
                  auth: {},
                  namespaces: [],
                },
              ],
            },
          },
        }),
      ],
    });

    const response = await request(server).get('/api/mlops/v1/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      clusters: ['gpu-east', 'gpu-west'],
    });
  });

  it('answers 404 for an unknown route', async () => {
    const { server } = await startTestBackend({ features: [mlopsPlugin] });
    const response = await request(server)
      .get('/api/mlops/v1/nothing-here')
      .set('Authorization', mockCredentials.user.header());
    expect(response.status).toBe(404);
  });

  it('refuses to start when two clusters share a name', async () => {
    await expect(
      startTestBackend({
        features: [
          mlopsPlugin,
          mockServices.rootConfig.factory({
            data: {
              mlops: {
                clusters: [
                  {
                    name: 'gpu',
                    url: 'https://127.0.0.1:1',
                    auth: {},
                    namespaces: [],
                  },
                  {
                    name: 'gpu',
                    url: 'https://127.0.0.1:2',
                    auth: {},
                    namespaces: [],
                  },
                ],
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /mlops\.clusters\[1\]\.name "gpu" is already used by mlops\.clusters\[0\]/,
    );
  });
});

import { createBackend } from '@backstage/backend-defaults';

// A minimal backend for working on this plugin alone: `yarn start` in this package, then
//   curl http://localhost:7007/api/mlops/v1/health
const backend = createBackend();
backend.add(import('../src'));
backend.start();

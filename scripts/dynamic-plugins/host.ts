// A backend that loads the MLOps backend plugin and scaffolder module only as dynamic plugins,
// through Backstage's own dynamic feature loader (what Red Hat Developer Hub runs), from the
// `dynamicPlugins.rootDirectory` of its config. Started by dynamic-plugins.test.mjs.
import { createBackend } from '@backstage/backend-defaults';
import { dynamicPluginsFeatureLoader } from '@backstage/backend-dynamic-feature-service';

const backend = createBackend();
backend.add(dynamicPluginsFeatureLoader);
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.start();

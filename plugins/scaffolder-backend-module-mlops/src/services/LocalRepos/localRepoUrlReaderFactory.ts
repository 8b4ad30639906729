import { createServiceFactory } from '@backstage/backend-plugin-api';
import { urlReaderFactoriesServiceRef } from '@backstage/backend-defaults/urlReader';
import { LocalRepoUrlReader } from './LocalRepoUrlReader';
import { localPublishRoot } from './localPublishRoot';

/**
 * Adds a UrlReader for `file://` URLs under the local publish root to every plugin's
 * UrlReaderService, so the stock `catalog:register` (which always registers a `url` location)
 * and the reconciler can read repos published by `mlops:publish:local`.
 *
 * @public
 */
export const localRepoUrlReaderFactory = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: {},
  async factory() {
    return ({ config, treeResponseFactory }) => {
      const reader = new LocalRepoUrlReader(
        localPublishRoot(config),
        treeResponseFactory,
      );
      return [{ predicate: url => reader.handles(url), reader }];
    };
  },
});

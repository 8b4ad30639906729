import {
  coreServices,
  createServiceFactory,
  type AuthService,
  type BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

const PREFIX = 'mock-obo-token:';

/**
 * The test backend's mock auth, except that a plugin's request on behalf of a user arrives as
 * that user *with the calling plugin as actor*, as Backstage's real auth service does. The
 * mock alone drops the actor, and the permission backend then refuses every resource
 * permission query without a resourceRef as a "direct user request" (the catalog's included).
 */
export const oboAuthServiceFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const inner = mockServices.auth({ pluginId: plugin.getId() });
    return {
      ...inner,
      isPrincipal: inner.isPrincipal.bind(inner) as AuthService['isPrincipal'],
      getNoneCredentials: () => inner.getNoneCredentials(),
      getOwnServiceCredentials: () => inner.getOwnServiceCredentials(),
      getLimitedUserToken: c => inner.getLimitedUserToken(c),
      listPublicServiceKeys: () => inner.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const principal = options.onBehalfOf.principal as {
          type: string;
          userEntityRef?: string;
        };
        if (principal.type !== 'user')
          return inner.getPluginRequestToken(options);
        return {
          token: `${PREFIX}${JSON.stringify({
            obo: principal.userEntityRef,
            actor: `plugin:${plugin.getId()}`,
            target: options.targetPluginId,
          })}`,
        };
      },
      async authenticate(token, options): Promise<BackstageCredentials<any>> {
        if (token.startsWith(PREFIX)) {
          const { obo, actor, target } = JSON.parse(token.slice(PREFIX.length));
          if (target !== plugin.getId()) {
            throw new Error(`token for ${target} sent to ${plugin.getId()}`);
          }
          return mockCredentials.user(obo, { actor: { subject: actor } });
        }
        return inner.authenticate(token, options);
      },
    } as AuthService;
  },
});

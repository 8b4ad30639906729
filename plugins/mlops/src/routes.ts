import { createRouteRef } from '@backstage/core-plugin-api';

/** Where the legacy app mounts {@link EntityMlopsContent}. */
export const rootRouteRef = createRouteRef({ id: 'mlops' });

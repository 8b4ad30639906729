import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import type { ReactNode } from 'react';

/** A link to the entity's stock Kubernetes tab, where its pods are listed. */
export const KubernetesTabLink = (props: {
  children: ReactNode;
  testId?: string;
}) => {
  const { entity } = useEntity();
  const entityRoute = useRouteRef(entityRouteRef);
  return (
    <Link
      to={`${entityRoute(entityRouteParams(entity))}/kubernetes`}
      data-testid={props.testId}
    >
      {props.children}
    </Link>
  );
};

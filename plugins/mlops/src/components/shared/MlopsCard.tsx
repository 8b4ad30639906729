import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_MLOPS_MANIFESTS,
  isMlopsWorkload,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';
import type { Polled } from './usePolling';

/** Shows the missing-annotation state inside a titled card unless the entity is ours. */
export const RequireMlopsAnnotations = (props: {
  title: string;
  children: ReactNode;
}) => {
  const { entity } = useEntity();
  if (!isMlopsWorkload(entity)) {
    return (
      <InfoCard title={props.title}>
        <MissingAnnotationEmptyState annotation={ANNOTATION_MLOPS_MANIFESTS} />
      </InfoCard>
    );
  }
  return <>{props.children}</>;
};

/** "Updated 12:01:03", so a stale card is visible as such. */
export const LastUpdated = ({ at }: { at?: Date }) =>
  at ? (
    <Typography
      variant="caption"
      color="textSecondary"
      data-testid="mlops-updated"
    >
      Updated {at.toLocaleTimeString()}
    </Typography>
  ) : null;

/**
 * A card over polled data: `Progress` until the first answer, `ResponseErrorPanel` on error,
 * an empty state when `isEmpty`, else `children(value)`. Never blank.
 */
export function PolledCard<T>(props: {
  title: string;
  testId: string;
  polled: Polled<T>;
  isEmpty?: (value: T) => boolean;
  emptyTitle?: string;
  emptyDescription?: (value: T) => string;
  action?: ReactNode;
  /** Shown as "Updated …"; default: when the polled value arrived. */
  updatedAt?: Date;
  children: (value: T) => ReactNode;
}) {
  const { polled } = props;
  let body: ReactNode;
  if (polled.error) {
    body = <ResponseErrorPanel error={polled.error} />;
  } else if (polled.value === undefined) {
    body = <Progress />;
  } else if (props.isEmpty?.(polled.value)) {
    body = (
      <EmptyState
        missing="data"
        title={props.emptyTitle ?? 'Nothing in the cluster yet'}
        description={props.emptyDescription?.(polled.value)}
      />
    );
  } else {
    body = props.children(polled.value);
  }
  return (
    <InfoCard
      title={props.title}
      subheader={<LastUpdated at={props.updatedAt ?? polled.updatedAt} />}
      action={props.action}
      noPadding={false}
    >
      <div data-testid={props.testId}>{body}</div>
    </InfoCard>
  );
}

import { KubeConfig, Watch } from '@kubernetes/client-node';

type WatchArgs = Parameters<Watch['watch']>;

/**
 * A client-node Watch that takes its credentials afresh on every (re)connect, so a restarted
 * watch uses a rotated ServiceAccount token, and that reports each 410 Gone (the resourceVersion
 * it resumed from has been compacted away; ListWatch answers it with a re-list).
 */
export class RefreshingWatch extends Watch {
  constructor(
    private readonly kubeConfig: () => KubeConfig,
    private readonly onExpired: () => void,
  ) {
    super(new KubeConfig());
  }

  async watch(
    path: WatchArgs[0],
    queryParams: WatchArgs[1],
    callback: WatchArgs[2],
    done: WatchArgs[3],
  ): Promise<AbortController> {
    const isGone = (value: any) =>
      value?.code === 410 || value?.statusCode === 410;
    try {
      this.config = this.kubeConfig();
    } catch (error) {
      // Unreadable credentials: fail this attempt the way a refused connection does.
      done(error);
      return new AbortController();
    }
    return super.watch(
      path,
      queryParams,
      (phase, object, raw) => {
        if (phase === 'ERROR' && isGone(object)) this.onExpired();
        callback(phase, object, raw);
      },
      error => {
        if (isGone(error)) this.onExpired();
        done(error);
      },
    );
  }
}

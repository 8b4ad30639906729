import type { LiveObject } from '../liveObject';

// As `kubectl get pvc -o json` shows them (managedFields dropped): the model cache claim.

const claim = (phase?: string): LiveObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: {
    name: 'llama3-8b-chat-model-cache',
    namespace: 'ml-serving',
    uid: 'e2c9a4b7-1d63-4f08-a5e2-9b7c0d3f6a15',
    resourceVersion: '48190',
    creationTimestamp: '2026-11-26T09:12:44Z',
  },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '40Gi' } },
    storageClassName: 'standard',
    volumeMode: 'Filesystem',
  },
  ...(phase
    ? {
        status: {
          phase,
          ...(phase === 'Bound'
            ? { accessModes: ['ReadWriteOnce'], capacity: { storage: '40Gi' } }
            : {}),
        },
      }
    : {}),
});

export const bound = claim('Bound');
/** WaitForFirstConsumer: no volume until a pod needs it. */
export const pending = claim('Pending');
export const lost = claim('Lost');
export const noStatus = claim();

import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a ConfigMap and a Deployment named `name`, both carrying `value`, so a content change
 * shows as new data and as a new Deployment generation.
 */
export function writeWorkload(repo: string, name: string, value: string) {
  const dir = path.join(repo, name, 'deploy');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'configmap.yaml'),
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  value: "${value}"
`,
  );
  fs.writeFileSync(
    path.join(dir, 'deployment.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: server
          image: pause:3.10
          env: [{name: VALUE, value: "${value}"}]
`,
  );
}

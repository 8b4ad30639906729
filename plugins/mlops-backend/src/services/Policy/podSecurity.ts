/**
 * The Kubernetes Pod Security Standards "baseline" level, checked on every pod template of a
 * manifest (found by shape, so PyTorchJob, RayCluster, TrainJob overrides and InferenceService
 * predictors are all covered). Returns one message per violation, with its path.
 */
import { quoteToken } from '@mlops-plugins/backstage-plugin-mlops-common';
import { forEachPodSpec, isObj } from './podSpecs';

// Capabilities a baseline pod may add (PSS baseline, "Capabilities").
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

type Obj = Record<string, any>;

function checkSecurityContext(sc: unknown, where: string, out: string[]) {
  if (!isObj(sc)) return;
  if (sc.privileged === true)
    out.push(`${where}.securityContext.privileged is true`);
  const added: unknown[] = Array.isArray(sc.capabilities?.add)
    ? sc.capabilities.add
    : [];
  for (const cap of added) {
    const name = String(cap).toUpperCase().replace(/^CAP_/, '');
    if (!BASELINE_CAPABILITIES.has(name)) {
      out.push(
        `${where}.securityContext.capabilities.add has ${quoteToken(cap)}`,
      );
    }
  }
  if (sc.procMount !== undefined && sc.procMount !== 'Default') {
    out.push(
      `${where}.securityContext.procMount is ${quoteToken(sc.procMount)}`,
    );
  }
  if (sc.seccompProfile?.type === 'Unconfined') {
    out.push(`${where}.securityContext.seccompProfile.type is Unconfined`);
  }
  if (sc.appArmorProfile?.type === 'Unconfined') {
    out.push(`${where}.securityContext.appArmorProfile.type is Unconfined`);
  }
  const seType = sc.seLinuxOptions?.type;
  if (
    seType &&
    ![
      'container_t',
      'container_init_t',
      'container_kvm_t',
      'container_engine_t',
    ].includes(seType)
  ) {
    out.push(
      `${where}.securityContext.seLinuxOptions.type is ${quoteToken(seType)}`,
    );
  }
  if (sc.seLinuxOptions?.user || sc.seLinuxOptions?.role) {
    out.push(`${where}.securityContext.seLinuxOptions sets user or role`);
  }
}

function checkPodSpec(spec: Obj, where: string, out: string[]) {
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[field] === true) out.push(`${where}.${field} is true`);
  }
  for (const [i, volume] of (Array.isArray(spec.volumes)
    ? spec.volumes
    : []
  ).entries()) {
    if (isObj(volume) && volume.hostPath !== undefined) {
      out.push(
        `${where}.volumes[${i}] (${quoteToken(volume.name)}) uses hostPath`,
      );
    }
  }
  checkSecurityContext(spec.securityContext, where, out);
  for (const sysctl of Array.isArray(spec.securityContext?.sysctls)
    ? spec.securityContext.sysctls
    : []) {
    if (!SAFE_SYSCTLS.has(sysctl?.name))
      out.push(
        `${where}.securityContext.sysctls has ${quoteToken(sysctl?.name)}`,
      );
  }
  for (const list of CONTAINER_LISTS) {
    for (const [i, container] of (Array.isArray(spec[list])
      ? spec[list]
      : []
    ).entries()) {
      if (!isObj(container)) continue;
      const cw = `${where}.${list}[${i}] (${quoteToken(container.name)})`;
      checkSecurityContext(container.securityContext, cw, out);
      for (const port of Array.isArray(container.ports)
        ? container.ports
        : []) {
        if (isObj(port) && port.hostPort !== undefined && port.hostPort !== 0) {
          out.push(
            `${cw}.ports sets hostPort ${
              Number.isInteger(port.hostPort)
                ? port.hostPort
                : quoteToken(port.hostPort)
            }`,
          );
        }
      }
    }
  }
}

/** Every baseline violation in the object, searching pod specs at any depth. */
export function baselinePodSecurityViolations(object: unknown): string[] {
  const out: string[] = [];
  forEachPodSpec(object, (spec, path) => checkPodSpec(spec, path, out));
  return out;
}

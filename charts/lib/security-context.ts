import type { SecurityContext } from 'kubernetes-types/core/v1';

/**
 * The container security context every platform workload runs with (what tools/policy requires and Pod
 * Security `restricted` asks for): non-root, read-only root filesystem, no privilege escalation, no
 * capabilities, the runtime's default seccomp profile. Numeric users are added per image.
 */
export function hardenedContainer(user?: { readonly uid: number; readonly gid?: number }): SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    ...(user !== undefined && { runAsUser: user.uid, runAsGroup: user.gid ?? user.uid }),
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

import { k8s } from 'cdk8s-plus-27';

/** Pods that may be reached, or may connect: a namespace and (optionally) pod labels within it. */
export interface NetworkPeer {
  readonly namespace: string;
  /** @default every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** TCP ports; @default every port */
  readonly ports?: readonly number[];
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The NetworkPolicy peer for a namespace (by its immutable name label) and optional pod labels. */
export function policyPeer(peer: NetworkPeer): k8s.NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } },
    ...(peer.podLabels !== undefined && { podSelector: { matchLabels: { ...peer.podLabels } } }),
  };
}

export function tcpPorts(ports: readonly number[] | undefined): k8s.NetworkPolicyPort[] | undefined {
  return ports?.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }));
}

/** DNS lookups through CoreDNS/kube-dns in kube-system, which every workload needs. */
export function dnsEgressRule(): k8s.NetworkPolicyEgressRule {
  return {
    to: [
      {
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      },
    ],
    ports: [
      { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
      { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
    ],
  };
}

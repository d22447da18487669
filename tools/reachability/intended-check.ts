/**
 * The proof the plan runs: the connections an environment's rendered NetworkPolicies allow, compared with the
 * intended graph (stacks/intended-network.ts). Edges that start in a namespace the platform does not manage
 * (kube-system: CoreDNS's own egress) or that reach into one from outside are not ours to decide and are
 * left out of the comparison, counted.
 */
import { intendedNetwork, UNMANAGED_NAMESPACES, type NetworkFacts } from '../../stacks/intended-network';
import type { PlanResource } from '../release';
import { diffEdges, formatDiff, type EdgeDiff } from './edge-diff';
import {
  reachability,
  type Edge,
  type NetworkPolicyObject,
  type ReachabilityInput,
} from './network-reachability';
import { planNetworkPolicies, planPods } from './plan-pods';

export interface IntendedComparison {
  readonly input: ReachabilityInput;
  /** Every allowed connection, unmanaged ones included. */
  readonly edges: readonly Edge[];
  /** Connections left out: their source (or, from outside, their destination) is unmanaged. */
  readonly unmanaged: number;
  readonly diff: EdgeDiff;
  /** One line per extra or missing edge, naming the policies involved; empty when the graphs are equal. */
  readonly problems: readonly string[];
}

const unmanaged = (id: string) => UNMANAGED_NAMESPACES.some((ns) => id.startsWith(`${ns}/`));

/** Whether an edge is the platform's to decide. */
export function isManagedEdge(edge: Pick<Edge, 'from' | 'to'>): boolean {
  if (unmanaged(edge.from)) return false;
  // From outside the cluster into kube-system: kube-system has no policies of ours.
  if (!edge.from.includes('/') && unmanaged(edge.to)) return false;
  return true;
}

/** The reachability input of a plan's resources. */
export function planReachabilityInput(resources: readonly PlanResource[]): ReachabilityInput {
  const { pods, namespaces } = planPods(resources);
  return { pods, namespaces, policies: planNetworkPolicies(resources) as unknown as NetworkPolicyObject[] };
}

/** Compares what the policies of `input` allow with the intended graph of `facts`. */
export function compareWithIntended(input: ReachabilityInput, facts: NetworkFacts): IntendedComparison {
  const edges = reachability(input);
  const managed = edges.filter(isManagedEdge);
  const diff = diffEdges(managed, intendedNetwork(facts));
  return {
    input,
    edges,
    unmanaged: edges.length - managed.length,
    diff,
    problems: formatDiff(input, diff),
  };
}

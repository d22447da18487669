// The network facts of a stack file, parsed as the program parses it (the offline plan reads the same file).
import { networkFactsOf, type NetworkFacts, type NetworkSide } from '../../stacks/intended-network';
import { parseEnvironment } from '../../stacks/spec';
import { platformValues, readStackConfig } from '../plan/stack-file';

/** `side`: the stack's primary cluster, or its DR standby (checked apart, with its own facts). */
export function stackNetworkFacts(root: string, stack: string, side: NetworkSide = 'primary'): NetworkFacts {
  const config = readStackConfig(root, stack);
  const secretKeys = new Set(
    config.secretKeys.filter((k) => k.startsWith('platform:')).map((k) => k.slice('platform:'.length)),
  );
  return networkFactsOf(parseEnvironment(stack, platformValues(config), { secretKeys }), side);
}

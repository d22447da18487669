// The CrossGuard entry point: `npm run build`, then `pulumi preview --policy-pack tools/policy-pack`
// (PulumiPolicy.yaml points at the compiled dist/tools/policy-pack). Same rules as the offline plan.
import { PolicyPack } from '@pulumi/policy';
import { platformPolicies } from './platform-policies';

new PolicyPack('platform', { policies: platformPolicies() });

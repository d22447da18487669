// Pulumi entry point (Pulumi.yaml `main: stacks/`): validate the stack's config, then compose.
import { loadEnvironment } from './config';
import { buildEnvironment } from './environment';

const loaded = loadEnvironment();
const environment = buildEnvironment(loaded);

/** Valid but risky settings (see README, "Config warnings"); the offline plan prints them. */
export const configWarnings = loaded.spec.warnings;

export const gateway = environment.cluster.gateway;
export const services = environment.services;

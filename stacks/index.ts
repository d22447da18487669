// Pulumi entry point (Pulumi.yaml `main: stacks/`): validate the stack's config, then compose.
import { loadEnvironment } from './config';
import { buildEnvironment } from './environment';

const environment = buildEnvironment(loadEnvironment());

export const gateway = environment.cluster.gateway;
export const services = environment.services;

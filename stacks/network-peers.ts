import type { NetworkPeer } from '../charts';
import { MONGOD_POD_LABELS, NAME_LABEL } from '../charts';
import { KAFKA_NAME, MONGODB_CLUSTER, REDIS_NAME } from '../infra/data';
import { SERVICE_CATALOG, type DataStore, type ServiceName } from './service-catalog';
import type { NamespacesSpec } from './spec';

/**
 * Who may talk to whom, derived from the service catalog. The data-store selectors are the labels the data
 * layer's pods carry (the Percona operator's mongod pods, our Redis StatefulSets, Strimzi's broker pods), so
 * the services' egress and the stores' ingress policies agree.
 */
export function dataStorePeer(store: DataStore, namespaces: NamespacesSpec): NetworkPeer {
  switch (store) {
    case 'mongodb':
      return { namespace: namespaces.data, podLabels: MONGOD_POD_LABELS(MONGODB_CLUSTER), ports: [27017] };
    case 'redis':
      // Sentinels (26379) name the master; data nodes (6379) serve the commands.
      return { namespace: namespaces.data, podLabels: { [NAME_LABEL]: REDIS_NAME }, ports: [6379, 26379] };
    case 'kafka':
      return {
        namespace: namespaces.data,
        podLabels: { 'strimzi.io/cluster': KAFKA_NAME, 'strimzi.io/broker-role': 'true' },
        ports: [9093],
      };
  }
}

/** The Envoy Gateway proxies that carry north-south traffic to public services. */
export function gatewayPeer(namespaces: NamespacesSpec): NetworkPeer {
  return {
    namespace: namespaces.platform,
    podLabels: { 'app.kubernetes.io/managed-by': 'envoy-gateway', 'app.kubernetes.io/component': 'proxy' },
  };
}

export function servicePeer(name: ServiceName, namespaces: NamespacesSpec, port?: number): NetworkPeer {
  return {
    namespace: namespaces.apps,
    podLabels: { [NAME_LABEL]: name },
    ...(port !== undefined && { ports: [port] }),
  };
}

export const SERVICE_PORT = 8080;

/** Ingress peers of a service: its callers and, for public services, the gateway. */
export function callersOf(name: ServiceName, namespaces: NamespacesSpec): NetworkPeer[] {
  const entry = SERVICE_CATALOG[name];
  return [
    ...(entry.public ? [gatewayPeer(namespaces)] : []),
    ...entry.callers.map((caller) => servicePeer(caller, namespaces)),
  ];
}

/** Egress peers of a service: the services it calls and the data stores it uses. */
export function dependenciesOf(name: ServiceName, namespaces: NamespacesSpec): NetworkPeer[] {
  const entry = SERVICE_CATALOG[name];
  return [
    ...entry.calls.map((callee) => servicePeer(callee, namespaces, SERVICE_PORT)),
    ...entry.stores.map((store) => dataStorePeer(store, namespaces)),
  ];
}

import { mutate, renderedService } from './rendered-service.fixture';
import type { K8sObject } from './policies';
import { checkWorkloadPolicies, type WorkloadPolicyOptions } from './workload-policies';

/** What the charts render for one service: the passing fixture every failing one starts from. */
function environment(): K8sObject[] {
  return renderedService('registry.local/product@sha256:' + 'a'.repeat(64));
}

const findings = (objects: readonly K8sObject[], options: WorkloadPolicyOptions = {}): string[] => {
  const found: string[] = [];
  checkWorkloadPolicies(
    objects,
    (rule, o, message) =>
      found.push(`${rule} ${o.metadata.namespace ?? ''}/${o.kind}/${o.metadata.name}: ${message}`),
    options,
  );
  return found;
};

const podSpec = (d: any) => d.spec.template.spec;

/** A zone-spread pod template (the charts spread over hostnames only unless told otherwise). */
const zoneSpread = (d: any) => {
  podSpec(d).topologySpreadConstraints = [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
  ];
};

describe('workload policies', () => {
  it('pass what the charts render, in every environment once spread over zones', () => {
    const objects = mutate(environment(), 'Deployment', zoneSpread);
    for (const environment of ['dev', 'qat', 'uat', 'prod']) {
      expect(findings(objects, { environment })).toEqual([]);
    }
  });

  describe('pod-host-access', () => {
    it.each([
      [
        'hostNetwork',
        (d: any) => (podSpec(d).hostNetwork = true),
        "spec.template.spec.hostNetwork is true: pods share the node's network; remove it",
      ],
      [
        'hostPID',
        (d: any) => (podSpec(d).hostPID = true),
        "spec.template.spec.hostPID is true: pods see the node's processes; remove it",
      ],
      [
        'hostIPC',
        (d: any) => (podSpec(d).hostIPC = true),
        "spec.template.spec.hostIPC is true: pods share the node's IPC; remove it",
      ],
      [
        'a hostPath volume',
        (d: any) => (podSpec(d).volumes = [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }]),
        'spec.template.spec.volumes[0] ("docker") is a hostPath (/var/run/docker.sock)',
      ],
      [
        'a hostPort',
        (d: any) => (podSpec(d).containers[0].ports = [{ containerPort: 8080, hostPort: 8080 }]),
        'spec.template.spec.containers[0].ports[0].hostPort is 8080 (container "product")',
      ],
    ])('refuses %s', (_what, change, message) => {
      const found = findings(mutate(environment(), 'Deployment', change));
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(`pod-host-access apps/Deployment/product: ${message}`);
    });

    it('refuses a privileged init container of a CronJob, which container-security does not see', () => {
      const cronJob = {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'cleanup', namespace: 'apps' },
        spec: {
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  automountServiceAccountToken: false,
                  initContainers: [{ name: 'prepare', image: 'x:1', securityContext: { privileged: true } }],
                  containers: [{ name: 'run', image: 'x:1' }],
                },
              },
            },
          },
        },
      } as unknown as K8sObject;
      expect(findings([cronJob])).toEqual([
        'pod-host-access apps/CronJob/cleanup: spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.privileged is true (container "prepare"): it has the node\'s devices and kernel; remove it',
      ]);
      // A Deployment's privileged container is container-security's finding, not reported twice.
      const deployment = mutate(
        environment(),
        'Deployment',
        (d) => (podSpec(d).containers[0].securityContext.privileged = true),
      );
      expect(findings(deployment)).toEqual([]);
    });
  });

  describe('service-exposure', () => {
    it.each(['LoadBalancer', 'NodePort'])('refuses a Service of type %s', (type) => {
      const objects = mutate(environment(), 'Service', (s) => (s.spec.type = type));
      expect(findings(objects)).toEqual([
        `service-exposure apps/Service/product: spec.type is ${type}: only the gateway is exposed outside the cluster; use ClusterIP and an HTTPRoute on the gateway`,
      ]);
    });

    it('allows the Envoy proxy Service Envoy Gateway owns, recognised by its labels', () => {
      const proxy = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'envoy-platform-gateway-1a2b3c',
          namespace: 'platform',
          labels: { 'app.kubernetes.io/managed-by': 'envoy-gateway', 'app.kubernetes.io/component': 'proxy' },
        },
        spec: { type: 'LoadBalancer' },
      } as unknown as K8sObject;
      expect(findings([proxy])).toEqual([]);
      const impostor = structuredClone(proxy) as any;
      delete impostor.metadata.labels['app.kubernetes.io/component'];
      expect(findings([impostor as K8sObject])).toHaveLength(1);
    });
  });

  describe('service-account-token', () => {
    const unset = (d: any) => delete podSpec(d).automountServiceAccountToken;

    it('accepts a pod whose ServiceAccount turns the token off', () => {
      const objects = mutate(environment(), 'Deployment', unset);
      const account = objects.find((o) => o.kind === 'ServiceAccount');
      expect(account?.automountServiceAccountToken).toBe(false);
      expect(findings(objects)).toEqual([]);
    });

    it('refuses a pod whose spec and ServiceAccount both leave the token on', () => {
      const objects = mutate(
        mutate(environment(), 'Deployment', unset),
        'ServiceAccount',
        (a) => delete a.automountServiceAccountToken,
      );
      expect(findings(objects)).toEqual([
        `service-account-token apps/Deployment/product: spec.template.spec.automountServiceAccountToken is unset and ServiceAccount "product" does not set it to false, so the pod gets an API token; set spec.template.spec.automountServiceAccountToken: false, or annotate the workload platform.io/needs-kube-api: "<why it calls the API>"`,
      ]);
    });

    it('refuses automountServiceAccountToken: true unless the workload says why it needs the API', () => {
      const on = mutate(environment(), 'Deployment', (d) => (podSpec(d).automountServiceAccountToken = true));
      expect(findings(on)).toHaveLength(1);
      expect(findings(on)[0]).toContain('automountServiceAccountToken is true');
      const declared = mutate(on, 'Deployment', (d) => {
        d.metadata.annotations = { 'platform.io/needs-kube-api': 'reads its ConfigMap through the API' };
      });
      expect(findings(declared)).toEqual([]);
      const empty = mutate(on, 'Deployment', (d) => {
        d.metadata.annotations = { 'platform.io/needs-kube-api': '' };
      });
      expect(findings(empty)).toHaveLength(1);
    });
  });

  describe('cluster-role-binding', () => {
    const binding = (namespace: string) =>
      ({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'product-view' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [
          { kind: 'Group', name: 'system:masters' },
          { kind: 'ServiceAccount', name: 'product', namespace },
        ],
      }) as unknown as K8sObject;

    it('refuses binding a ClusterRole to a ServiceAccount of the apps namespace', () => {
      expect(findings([binding('apps')])).toEqual([
        `cluster-role-binding /ClusterRoleBinding/product-view: subjects[1] is ServiceAccount "apps/product", a service's account: services get no cluster-wide rights; bind a Role with a RoleBinding in namespace "apps" instead`,
      ]);
    });

    it('takes the apps namespace from the options', () => {
      expect(findings([binding('platform')])).toEqual([]);
      expect(findings([binding('apps')], { appsNamespace: 'services' })).toEqual([]);
      expect(findings([binding('services')], { appsNamespace: 'services' })).toHaveLength(1);
    });
  });

  describe('image-source', () => {
    it.each(['bitnami/redis:7.2.4', 'docker.io/bitnami/redis:7.2.4', 'docker.io/bitnamilegacy/kafka:3.7.0'])(
      'refuses %s in every environment',
      (image) => {
        const objects = mutate(environment(), 'Deployment', (d) => (podSpec(d).containers[0].image = image));
        expect(findings(objects, { environment: 'dev' })).toEqual([
          `image-source apps/Deployment/product: spec.template.spec.containers[0].image "${image}" comes from bitnami/bitnamilegacy, frozen since 2025 (no more fixes); use the upstream image`,
        ]);
      },
    );

    it('accepts an image whose name only contains "bitnami"', () => {
      const objects = mutate(
        environment(),
        'Deployment',
        (d) => (podSpec(d).containers[0].image = 'registry.local/notbitnami/redis:7.2.4'),
      );
      expect(findings(objects, { environment: 'dev' })).toEqual([]);
    });

    it('requires a digest in uat and prod only', () => {
      const tagged = mutate(
        mutate(environment(), 'Deployment', zoneSpread),
        'Deployment',
        (d) => (podSpec(d).containers[0].image = 'registry.local/product:1.0.0'),
      );
      expect(findings(tagged, { environment: 'dev' })).toEqual([]);
      expect(findings(tagged, { environment: 'qat' })).toEqual([]);
      expect(findings(tagged, { environment: 'prod' })).toEqual([
        'image-digest apps/Deployment/product: spec.template.spec.containers[0].image "registry.local/product:1.0.0" has no digest, which prod requires; pin it as <image>@sha256:<digest>',
      ]);
      expect(findings(tagged, { environment: 'uat' })).toHaveLength(1);
    });

    it('holds operator custom resources’ images to the same rules, naming the field', () => {
      const replicaSet = {
        apiVersion: 'psmdb.percona.com/v1',
        kind: 'PerconaServerMongoDB',
        metadata: { name: 'mongodb', namespace: 'data' },
        spec: {
          image: 'percona/percona-server-mongodb:8.0.12-4',
          replsets: [
            { name: 'rs0', sidecars: [{ name: 'exporter', image: 'bitnami/mongodb-exporter:0.40' }] },
          ],
        },
      } as unknown as K8sObject;
      expect(findings([replicaSet], { environment: 'dev' })).toEqual([
        'image-source data/PerconaServerMongoDB/mongodb: spec.replsets[0].sidecars[0].image "bitnami/mongodb-exporter:0.40" comes from bitnami/bitnamilegacy, frozen since 2025 (no more fixes); use the upstream image',
      ]);
      expect(findings([replicaSet], { environment: 'prod' })).toEqual([
        'image-digest data/PerconaServerMongoDB/mongodb: spec.image "percona/percona-server-mongodb:8.0.12-4" has no digest, which prod requires; pin it as <image>@sha256:<digest>',
        'image-source data/PerconaServerMongoDB/mongodb: spec.replsets[0].sidecars[0].image "bitnami/mongodb-exporter:0.40" comes from bitnami/bitnamilegacy, frozen since 2025 (no more fixes); use the upstream image',
        'image-digest data/PerconaServerMongoDB/mongodb: spec.replsets[0].sidecars[0].image "bitnami/mongodb-exporter:0.40" has no digest, which prod requires; pin it as <image>@sha256:<digest>',
      ]);
    });

    it('reports a Rollout’s template image once (as a pod image), not again as a custom resource’s', () => {
      const rollout = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'order', namespace: 'apps' },
        spec: {
          template: {
            spec: {
              automountServiceAccountToken: false,
              containers: [{ name: 'order', image: 'registry.local/order:1.0.0' }],
            },
          },
        },
      } as unknown as K8sObject;
      expect(findings([rollout], { environment: 'prod' })).toEqual([
        'image-digest apps/Rollout/order: spec.template.spec.containers[0].image "registry.local/order:1.0.0" has no digest, which prod requires; pin it as <image>@sha256:<digest>',
      ]);
    });
  });

  describe('zone-spread', () => {
    const zoneMessage =
      'zone-spread apps/Deployment/product: runs 2 replicas in uat but neither spec.template.spec.topologySpreadConstraints nor spec.template.spec.affinity.podAntiAffinity uses topologyKey topology.kubernetes.io/zone: one zone down may take every pod; add a topologySpreadConstraint over topology.kubernetes.io/zone';

    it('refuses a replicated workload spread over hostnames only, in uat and prod', () => {
      const objects = environment();
      expect(findings(objects, { environment: 'uat' })).toEqual([zoneMessage]);
      expect(findings(objects, { environment: 'prod' })).toHaveLength(1);
      expect(findings(objects, { environment: 'dev' })).toEqual([]);
    });

    it('accepts pod anti-affinity over zones', () => {
      const objects = mutate(environment(), 'Deployment', (d) => {
        podSpec(d).topologySpreadConstraints = [];
        podSpec(d).affinity = {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 100,
                podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone', labelSelector: {} },
              },
            ],
          },
        };
      });
      expect(findings(objects, { environment: 'uat' })).toEqual([]);
    });

    it('counts the HPA floor, and leaves a single replica alone', () => {
      const single = mutate(
        mutate(environment(), 'Deployment', (d) => (d.spec.replicas = 1)),
        'HorizontalPodAutoscaler',
        (h) => (h.spec.minReplicas = 1),
      );
      expect(findings(single, { environment: 'uat' })).toEqual([]);
      const floor = mutate(single, 'HorizontalPodAutoscaler', (h) => (h.spec.minReplicas = 3));
      expect(findings(floor, { environment: 'uat' })).toEqual([
        zoneMessage.replace('runs 2 replicas', 'runs an HPA floor of 3'),
      ]);
    });
  });
});

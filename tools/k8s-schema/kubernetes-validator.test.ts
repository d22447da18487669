import { kubernetesRef, loadKubernetesValidator } from './index';
import type { JsonSchema, KubernetesValidator } from './index';

// Fixtures are mutated freely in each test.
type Obj = Record<string, any>;

function deployment(): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/name': 'web', tier: 'frontend' },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: 8080 }],
              resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: 1, memory: '1Gi' } },
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
              livenessProbe: { tcpSocket: { port: 8080 } },
            },
          ],
        },
      },
    },
  };
}

const service: Obj = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: {
    selector: { 'app.kubernetes.io/name': 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 'http' }],
  },
};

const horizontalPodAutoscaler: Obj = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
      {
        type: 'Resource',
        resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } },
      },
    ],
    behavior: {
      scaleDown: {
        stabilizationWindowSeconds: 300,
        policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
      },
    },
  },
};

const networkPolicy: Obj = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'web-ingress' },
  spec: {
    podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }],
        ports: [
          { protocol: 'TCP', port: 8080 },
          { protocol: 'TCP', port: 'http' },
        ],
      },
    ],
  },
};

const podDisruptionBudget: Obj = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web' },
  spec: { minAvailable: '50%', selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } },
};

const otherValidObjects: Obj[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { env: 'dev' } } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web.config' }, data: { 'app.yaml': 'a: 1' } },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db' },
    type: 'Opaque',
    stringData: { password: 'x' },
  },
  {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'quota' },
    spec: { hard: { 'requests.cpu': 4, 'limits.memory': '8Gi', pods: '20' } },
  },
  {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'limits' },
    spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: 0.1 } }] },
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'system:platform:reader' },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'web-reader' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:platform:reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }],
  },
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'cleanup' },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: {
        spec: {
          template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } },
        },
      },
    },
  },
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'gp3' },
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3' },
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  },
];

function customResourceDefinition(openAPIV3Schema: Obj): Obj {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema } }],
    },
  };
}

let validator: KubernetesValidator;

beforeAll(() => {
  validator = loadKubernetesValidator();
});

describe('valid objects', () => {
  it.each([
    ['apps/v1 Deployment', deployment()],
    ['v1 Service', service],
    ['autoscaling/v2 HorizontalPodAutoscaler', horizontalPodAutoscaler],
    ['networking.k8s.io/v1 NetworkPolicy', networkPolicy],
    ['policy/v1 PodDisruptionBudget', podDisruptionBudget],
  ])('accepts a valid %s', (_name, obj) => {
    expect(validator.validate(obj)).toEqual([]);
  });

  it.each(otherValidObjects.map((obj) => [`${String(obj['apiVersion'])} ${String(obj['kind'])}`, obj]))(
    'accepts a valid %s',
    (_name, obj) => {
      expect(validator.validate(obj)).toEqual([]);
    },
  );

  it('accepts a CRD with float bounds and the x-kubernetes schema extensions', () => {
    const crd = customResourceDefinition({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: {
            ratio: { type: 'number', minimum: 0.5 },
            port: { 'x-kubernetes-int-or-string': true },
          },
          'x-kubernetes-validations': [{ rule: 'self.ratio <= 1.0', message: 'ratio too high' }],
        },
      },
    });
    expect(validator.validate(crd)).toEqual([]);
  });

  it('accepts a status block but does not require one', () => {
    const withStatus = { ...deployment(), status: { replicas: 3, readyReplicas: 3 } };
    expect(validator.validate(withStatus)).toEqual([]);
    expect(validator.validate(deployment())).toEqual([]);
  });

  it('treats fields set to undefined as absent, as JSON serialization does', () => {
    const obj = deployment();
    obj['spec']['replicas'] = undefined;
    obj['spec']['template']['spec']['containers'][0]['command'] = undefined;
    expect(validator.validate(obj)).toEqual([]);
  });

  it('validates the items of a List kind', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'ConfigMapList',
      items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, dataa: {} }],
    };
    expect(validator.validate(list)).toEqual([
      { path: 'items[0].dataa', message: 'unknown field "dataa" (did you mean "data"?)' },
    ]);
  });
});

describe('unknown fields', () => {
  it('rejects a misspelled field under spec, with the field path and a suggestion', () => {
    const obj = deployment();
    obj['spec']['replicass'] = 2;
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.replicass', message: 'unknown field "replicass" (did you mean "replicas"?)' },
    ]);
  });

  it('rejects a misspelled field deep inside the pod template', () => {
    const obj = deployment();
    obj['spec']['template']['spec']['containers'][0]['imagePullPolicyy'] = 'Always';
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.template.spec.containers[0].imagePullPolicyy',
        message: 'unknown field "imagePullPolicyy" (did you mean "imagePullPolicy"?)',
      },
    ]);
  });

  it('rejects an unknown top-level field without inventing a suggestion', () => {
    const obj = { ...deployment(), extraStuff: true };
    expect(validator.validate(obj)).toEqual([{ path: 'extraStuff', message: 'unknown field "extraStuff"' }]);
  });

  it('reports every violation of an object, not only the first', () => {
    const obj = deployment();
    obj['spec']['replicass'] = 2;
    obj['spec']['template']['spec']['containers'][0]['imagePullPolicyy'] = 'Always';
    obj['spec']['template']['spec']['containers'][0]['ports'][0]['containerPort'] = '8080';
    expect(validator.validate(obj).map((violation) => violation.path)).toEqual([
      'spec.replicass',
      'spec.template.spec.containers[0].imagePullPolicyy',
      'spec.template.spec.containers[0].ports[0].containerPort',
    ]);
  });
});

describe('types', () => {
  it('rejects a string where an integer is required', () => {
    const obj = deployment();
    obj['spec']['replicas'] = '3';
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.replicas', message: 'must be integer (got string "3")' },
    ]);
  });

  it('rejects a fraction where Kubernetes expects an integer', () => {
    const obj = deployment();
    obj['spec']['replicas'] = 1.5;
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.replicas', message: 'must be integer (got number 1.5)' },
    ]);
  });

  it('rejects null for a typed field', () => {
    const obj = deployment();
    obj['spec']['template']['spec']['containers'][0]['image'] = null;
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.template.spec.containers[0].image', message: 'must be string (got null)' },
    ]);
  });

  it('rejects an object where a list is expected', () => {
    const obj = deployment();
    obj['spec']['template']['spec']['containers'] = { name: 'web', image: 'nginx' };
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.template.spec.containers', message: 'must be array (got object)' },
    ]);
  });

  it('accepts quantities as numbers and as strings', () => {
    const obj = deployment();
    obj['spec']['template']['spec']['containers'][0]['resources'] = {
      requests: { cpu: 0.5, memory: 268435456 },
      limits: { cpu: '2', memory: '1.5Gi', 'ephemeral-storage': '1e9' },
    };
    expect(validator.validate(obj)).toEqual([]);
  });

  it('rejects a malformed quantity string', () => {
    const obj = deployment();
    obj['spec']['template']['spec']['containers'][0]['resources']['limits']['memory'] = '12 GB';
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.template.spec.containers[0].resources.limits.memory',
        message: 'must be a Kubernetes quantity such as "250m", "1.5", "512Mi" or "2Gi" (got string "12 GB")',
      },
    ]);
  });

  it('rejects a quantity of the wrong JSON type', () => {
    const obj = deployment();
    obj['spec']['template']['spec']['containers'][0]['resources']['limits']['cpu'] = true;
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.template.spec.containers[0].resources.limits.cpu',
        message: 'must be number or string (got boolean true)',
      },
    ]);
  });

  it('accepts int-or-string fields as a number or a name, and nothing else', () => {
    const named = { ...service, spec: { ...service['spec'], ports: [{ port: 80, targetPort: 'http' }] } };
    const numbered = { ...service, spec: { ...service['spec'], ports: [{ port: 80, targetPort: 8080 }] } };
    const wrong = { ...service, spec: { ...service['spec'], ports: [{ port: 80, targetPort: [8080] }] } };
    expect(validator.validate(named)).toEqual([]);
    expect(validator.validate(numbered)).toEqual([]);
    expect(validator.validate(wrong)).toEqual([
      { path: 'spec.ports[0].targetPort', message: 'must be integer or string (got array)' },
    ]);
  });

  it('names the accepted shapes when a value fits no alternative of a union', () => {
    const crd = customResourceDefinition({ type: 'object', additionalProperties: 'yes' });
    expect(validator.validate(crd)).toEqual([
      {
        path: 'spec.versions[0].schema.openAPIV3Schema.additionalProperties',
        message: 'must be object or boolean (got string "yes")',
      },
    ]);
  });

  it('reports the errors of the union alternative that fits the value', () => {
    const crd = customResourceDefinition({
      type: 'object',
      additionalProperties: { type: 'string', maxLenght: 3 },
    });
    expect(validator.validate(crd)).toEqual([
      {
        path: 'spec.versions[0].schema.openAPIV3Schema.additionalProperties.maxLenght',
        message: 'unknown field "maxLenght" (did you mean "maxLength"?)',
      },
    ]);
  });

  it('rejects a metadata timestamp that is not RFC 3339', () => {
    const obj = deployment();
    obj['metadata']['creationTimestamp'] = 'yesterday';
    expect(validator.validate(obj)).toEqual([
      {
        path: 'metadata.creationTimestamp',
        message: 'must be an RFC 3339 timestamp such as "2024-01-31T12:00:00Z" (got string "yesterday")',
      },
    ]);
  });
});

describe('required fields', () => {
  it('reports missing containers at the path of the missing field', () => {
    const obj = deployment();
    delete obj['spec']['template']['spec']['containers'];
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.template.spec.containers', message: 'missing required field "containers"' },
    ]);
  });

  it('reports a missing selector', () => {
    const obj = deployment();
    delete obj['spec']['selector'];
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.selector', message: 'missing required field "selector"' },
    ]);
  });

  it('reports missing required fields inside list items', () => {
    const obj = deployment();
    delete obj['spec']['template']['spec']['containers'][0]['name'];
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.template.spec.containers[0].name', message: 'missing required field "name"' },
    ]);
  });
});

describe('apiVersion and kind', () => {
  it('rejects an unknown kind and suggests the closest one', () => {
    const obj = { ...deployment(), kind: 'Deploymnet' };
    expect(validator.validate(obj)).toEqual([
      {
        path: '',
        message: 'no schema for apiVersion "apps/v1" kind "Deploymnet": did you mean kind "Deployment"?',
      },
    ]);
  });

  it('rejects a kind that does not exist at all', () => {
    const obj = { apiVersion: 'v1', kind: 'Gizmo', metadata: { name: 'x' } };
    expect(validator.validate(obj)).toEqual([
      { path: '', message: 'no schema for apiVersion "v1" kind "Gizmo": unknown kind' },
    ]);
  });

  it('rejects an unknown apiVersion and names the apiVersion that has the kind', () => {
    const obj = { ...deployment(), apiVersion: 'extensions/v1beta1' };
    expect(validator.validate(obj)).toEqual([
      {
        path: '',
        message:
          'no schema for apiVersion "extensions/v1beta1" kind "Deployment": kind "Deployment" exists in apiVersion "apps/v1"',
      },
    ]);
  });

  it('rejects an unregistered custom resource', () => {
    const obj = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web' } };
    expect(validator.validate(obj)).toEqual([
      {
        path: '',
        message:
          'no schema for apiVersion "gateway.networking.k8s.io/v1" kind "HTTPRoute": unknown apiVersion',
      },
    ]);
  });

  it('requires apiVersion and kind to be non-empty strings', () => {
    expect(validator.validate({ metadata: { name: 'x' } })).toEqual([
      { path: 'apiVersion', message: 'missing required field "apiVersion"' },
      { path: 'kind', message: 'missing required field "kind"' },
    ]);
    expect(validator.validate({ apiVersion: 'v1', kind: 7 })).toEqual([
      { path: 'kind', message: 'must be a non-empty string (got number 7)' },
    ]);
  });

  it('rejects input that is not an object', () => {
    expect(validator.validate([deployment()])).toEqual([
      { path: '', message: 'must be a Kubernetes object (got array)' },
    ]);
    expect(validator.validate('kind: Deployment')).toEqual([
      { path: '', message: 'must be a Kubernetes object (got string "kind: Deployment")' },
    ]);
  });
});

describe('metadata', () => {
  it('requires metadata.name on a top-level object', () => {
    const obj = deployment();
    delete obj['metadata']['name'];
    expect(validator.validate(obj)).toEqual([
      { path: 'metadata.name', message: 'missing required field "name"' },
    ]);
    expect(validator.validate({ apiVersion: 'v1', kind: 'ConfigMap' })).toEqual([
      { path: 'metadata', message: 'missing required field "metadata"' },
    ]);
  });

  it('does not require a name in pod template metadata', () => {
    const obj = deployment();
    expect(obj['spec']['template']['metadata']['name']).toBeUndefined();
    expect(validator.validate(obj)).toEqual([]);
  });

  it('rejects an uppercase metadata.name', () => {
    const obj = deployment();
    obj['metadata']['name'] = 'Web';
    expect(validator.validate(obj)).toEqual([
      {
        path: 'metadata.name',
        message:
          'must be a lowercase RFC 1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit (got string "Web")',
      },
    ]);
  });

  it('rejects a metadata.name longer than 253 characters', () => {
    const obj = deployment();
    obj['metadata']['name'] = 'a'.repeat(254);
    expect(validator.validate(obj)).toEqual([
      { path: 'metadata.name', message: 'must be at most 253 characters long (got 254)' },
    ]);
  });

  it('applies the stricter RFC 1035 label rule to Service names', () => {
    const digitFirst = { ...service, metadata: { name: '1web' } };
    const dotted = { ...service, metadata: { name: 'web.public' } };
    expect(validator.validate(digitFirst).map((violation) => violation.path)).toEqual(['metadata.name']);
    expect(validator.validate(dotted)[0]?.message).toMatch(/^must be a lowercase RFC 1035 label/);
    expect(
      validator.validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '1web.public' } }),
    ).toEqual([]);
  });

  it('rejects an invalid namespace', () => {
    const obj = deployment();
    obj['metadata']['namespace'] = 'Shop_Prod';
    expect(validator.validate(obj)[0]).toMatchObject({ path: 'metadata.namespace' });
  });

  it('rejects a label value longer than 63 characters or with invalid characters', () => {
    const obj = deployment();
    obj['metadata']['labels']['version'] = 'v'.repeat(64);
    obj['metadata']['labels']['team'] = 'platform team';
    expect(validator.validate(obj)).toEqual([
      { path: 'metadata.labels.version', message: 'must be at most 63 characters long (got 64)' },
      {
        path: 'metadata.labels.team',
        message:
          'must be a valid label value: empty, or letters, digits, "-", "_" and ".", starting and ending with a letter or digit (got string "platform team")',
      },
    ]);
  });

  it('rejects an invalid label key in a selector', () => {
    const obj = deployment();
    obj['spec']['selector']['matchLabels'] = { 'app name': 'web' };
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.selector.matchLabels["app name"]',
        message: expect.stringMatching(
          /^invalid key: must be a qualified name: .* \(got string "app name"\)$/,
        ),
      },
    ]);
  });
});

describe('registered schemas', () => {
  const kafkaTopicSchema: JsonSchema = {
    type: 'object',
    additionalProperties: false,
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        additionalProperties: false,
        required: ['partitions'],
        properties: {
          partitions: { type: 'integer', minimum: 1 },
          replicas: { type: 'integer', minimum: 1 },
          config: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
        },
      },
    },
  };

  function kafkaTopic(spec: Obj): Obj {
    return {
      apiVersion: 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaTopic',
      metadata: { name: 'orders', labels: { 'strimzi.io/cluster': 'main' } },
      spec,
    };
  }

  it('validates objects of a registered kind against the registered schema', () => {
    const own = loadKubernetesValidator();
    own.register('kafka.strimzi.io/v1beta2', 'KafkaTopic', kafkaTopicSchema);
    expect(own.validate(kafkaTopic({ partitions: 3, config: { 'retention.ms': 604800000 } }))).toEqual([]);
    expect(own.validate(kafkaTopic({ partitions: '3', replicaz: 3 }))).toEqual([
      { path: 'spec.replicaz', message: 'unknown field "replicaz" (did you mean "replicas"?)' },
      { path: 'spec.partitions', message: 'must be integer (got string "3")' },
    ]);
    expect(own.validate(kafkaTopic({ partitions: 0 }))).toEqual([
      { path: 'spec.partitions', message: 'must be >= 1 (got number 0)' },
    ]);
  });

  it('checks metadata of registered kinds as Kubernetes ObjectMeta with a valid name', () => {
    const own = loadKubernetesValidator();
    own.register('kafka.strimzi.io/v1beta2', 'KafkaTopic', kafkaTopicSchema);
    const obj = kafkaTopic({ partitions: 3 });
    obj['metadata'] = { name: 'Orders', label: { a: 'b' } };
    expect(own.validate(obj)).toEqual([
      { path: 'metadata.label', message: 'unknown field "label" (did you mean "labels"?)' },
      { path: 'metadata.name', message: expect.stringMatching(/^must be a lowercase RFC 1123 subdomain/) },
    ]);
  });

  it('lets registered schemas reuse Kubernetes definitions such as resource requirements', () => {
    const own = loadKubernetesValidator();
    own.register('pxc.percona.com/v1', 'PerconaXtraDBCluster', {
      type: 'object',
      additionalProperties: false,
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: {
          type: 'object',
          additionalProperties: false,
          properties: {
            pxc: {
              type: 'object',
              additionalProperties: false,
              properties: { resources: kubernetesRef('core.v1.ResourceRequirements') },
            },
          },
        },
      },
    });
    const cluster = (resources: Obj): Obj => ({
      apiVersion: 'pxc.percona.com/v1',
      kind: 'PerconaXtraDBCluster',
      metadata: { name: 'db' },
      spec: { pxc: { resources } },
    });
    expect(own.validate(cluster({ requests: { cpu: 1, memory: '2Gi' } }))).toEqual([]);
    expect(own.validate(cluster({ request: { cpu: 1 }, limits: { memory: '2 GiB' } }))).toEqual([
      { path: 'spec.pxc.resources.request', message: 'unknown field "request" (did you mean "requests"?)' },
      {
        path: 'spec.pxc.resources.limits.memory',
        message: expect.stringMatching(/^must be a Kubernetes quantity/),
      },
    ]);
  });

  it('summarises a union whose alternatives all reject the value, and keeps the errors of the one that fits', () => {
    const own = loadKubernetesValidator();
    own.register('example.com/v1', 'Widget', {
      type: 'object',
      additionalProperties: false,
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        size: {
          anyOf: [
            { type: 'integer' },
            {
              type: 'object',
              additionalProperties: false,
              required: ['value'],
              properties: { value: { type: 'integer' } },
            },
          ],
        },
      },
    });
    const widget = (size: unknown): Obj => ({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      size,
    });
    expect(own.validate(widget(3))).toEqual([]);
    expect(own.validate(widget({ value: 3 }))).toEqual([]);
    expect(own.validate(widget('big'))).toEqual([
      { path: 'size', message: 'must be integer or object (got string "big")' },
    ]);
    expect(own.validate(widget({ vaule: 3 }))).toEqual([
      { path: 'size.value', message: 'missing required field "value"' },
      { path: 'size.vaule', message: 'unknown field "vaule" (did you mean "value"?)' },
    ]);
  });

  it('keeps registrations to the validator they were made on', () => {
    const own = loadKubernetesValidator();
    own.register('kafka.strimzi.io/v1beta2', 'KafkaTopic', kafkaTopicSchema);
    expect(loadKubernetesValidator().validate(kafkaTopic({ partitions: 3 }))).toEqual([
      {
        path: '',
        message: 'no schema for apiVersion "kafka.strimzi.io/v1beta2" kind "KafkaTopic": unknown apiVersion',
      },
    ]);
  });

  it('refuses a schema that lets unknown fields through', () => {
    const own = loadKubernetesValidator();
    const open: JsonSchema = {
      type: 'object',
      additionalProperties: false,
      properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
    };
    expect(() => own.register('example.com/v1', 'Open', open)).toThrow(
      'schema for example.com/v1 Open: #/properties/spec has properties but no additionalProperties',
    );
  });

  it('refuses a schema with an unknown keyword', () => {
    const own = loadKubernetesValidator();
    const typo: JsonSchema = { type: 'object', additionalProperties: false, propertiez: {} };
    expect(() => own.register('example.com/v1', 'Typo', typo)).toThrow(
      /^invalid schema for example.com\/v1 Typo: .*propertiez/,
    );
  });

  it('refuses to replace a built-in or already registered kind', () => {
    const own = loadKubernetesValidator();
    expect(() => own.register('apps/v1', 'Deployment', kafkaTopicSchema)).toThrow(
      'a schema for apiVersion "apps/v1" kind "Deployment" already exists',
    );
    own.register('kafka.strimzi.io/v1beta2', 'KafkaTopic', kafkaTopicSchema);
    expect(() => own.register('kafka.strimzi.io/v1beta2', 'KafkaTopic', kafkaTopicSchema)).toThrow(
      /already exists/,
    );
  });
});

describe('enumerations the API enforces', () => {
  const validator = loadKubernetesValidator();
  const pod = (container: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', image: 'nginx:1.27', ...container }], ...spec },
  });

  it('rejects a misspelled enum value and lists the allowed ones', () => {
    expect(validator.validate(pod({ imagePullPolicy: 'Allways' }))).toEqual([
      {
        path: 'spec.containers[0].imagePullPolicy',
        message: 'must be "Always" or "IfNotPresent" or "Never" (got string "Allways")',
      },
    ]);
    expect(validator.validate(pod({}, { restartPolicy: 'Sometimes' }))[0]?.path).toBe('spec.restartPolicy');
  });

  it('rejects an unknown NetworkPolicy policy type', () => {
    const violations = validator.validate({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'n', namespace: 'apps' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egres'] },
    });
    expect(violations.map((v) => v.path)).toEqual(['spec.policyTypes[1]']);
  });

  it('accepts the valid values', () => {
    expect(validator.validate(pod({ imagePullPolicy: 'IfNotPresent' }, { restartPolicy: 'Always' }))).toEqual(
      [],
    );
  });
});

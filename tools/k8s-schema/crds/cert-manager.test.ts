import { loadKubernetesValidator } from '../index';
import type { KubernetesValidator } from '../index';
import { CERT_MANAGER_SCHEMAS } from './cert-manager';
import { registerPlatformCrds } from './index';

// Fixtures are plain JSON, mutated freely after structuredClone.
type Obj = Record<string, any>;

let validator: KubernetesValidator;

beforeAll(() => {
  validator = loadKubernetesValidator();
  registerPlatformCrds(validator, { only: CERT_MANAGER_SCHEMAS });
});

function broken(obj: Obj, change: (copy: Obj) => void): Obj {
  const copy = structuredClone(obj);
  change(copy);
  return copy;
}

const letsEncrypt: Obj = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'ClusterIssuer',
  metadata: { name: 'letsencrypt' },
  spec: {
    acme: {
      server: 'https://acme-v02.api.letsencrypt.org/directory',
      email: 'platform@example.com',
      privateKeySecretRef: { name: 'letsencrypt-account' },
      solvers: [
        {
          selector: { dnsZones: ['shop.example.com'] },
          dns01: { route53: { region: 'eu-west-1', hostedZoneID: 'Z0123456789ABC' } },
        },
        {
          http01: {
            gatewayHTTPRoute: {
              parentRefs: [
                { name: 'edge', namespace: 'envoy-gateway-system', kind: 'Gateway', sectionName: 'http' },
              ],
            },
          },
        },
      ],
    },
  },
};

const selfSigned: Obj = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'ClusterIssuer',
  metadata: { name: 'self-signed' },
  spec: { selfSigned: {} },
};

const internalCa: Obj = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Issuer',
  metadata: { name: 'internal-ca', namespace: 'kafka' },
  spec: { ca: { secretName: 'internal-ca' } },
};

const caCertificate: Obj = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name: 'internal-ca', namespace: 'kafka' },
  spec: {
    isCA: true,
    commonName: 'platform-internal-ca',
    secretName: 'internal-ca',
    duration: '87600h',
    privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    issuerRef: { name: 'self-signed', kind: 'ClusterIssuer', group: 'cert-manager.io' },
  },
};

const wildcardCertificate: Obj = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name: 'wildcard', namespace: 'envoy-gateway-system' },
  spec: {
    secretName: 'wildcard-tls',
    dnsNames: ['shop.example.com', '*.shop.example.com'],
    duration: '2160h',
    renewBefore: '360h',
    usages: ['server auth', 'digital signature', 'key encipherment'],
    privateKey: { algorithm: 'RSA', size: 2048, encoding: 'PKCS1' },
    secretTemplate: { labels: { 'app.kubernetes.io/part-of': 'edge' } },
    issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
  },
};

describe('valid cert-manager objects', () => {
  it.each([
    ['ACME ClusterIssuer', letsEncrypt],
    ['self-signed ClusterIssuer', selfSigned],
    ['CA Issuer', internalCa],
    ['CA Certificate', caCertificate],
    ['wildcard Certificate', wildcardCertificate],
  ])('accepts a %s', (_name, obj) => {
    expect(validator.validate(obj)).toEqual([]);
  });

  it('accepts an external issuer with its own kind', () => {
    const obj = broken(wildcardCertificate, (o) => {
      o['spec']['issuerRef'] = { name: 'pca', kind: 'AWSPCAClusterIssuer', group: 'awspca.cert-manager.io' };
    });
    expect(validator.validate(obj)).toEqual([]);
  });
});

describe('Certificate mistakes', () => {
  it('requires secretName and issuerRef', () => {
    const obj = broken(wildcardCertificate, (o) => {
      delete o['spec']['secretName'];
      delete o['spec']['issuerRef'];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.secretName', message: 'missing required field "secretName"' },
      { path: 'spec.issuerRef', message: 'missing required field "issuerRef"' },
    ]);
  });

  it('names a misspelt field and rejects a wrong enum and type', () => {
    const obj = broken(wildcardCertificate, (o) => {
      o['spec']['dnsName'] = o['spec']['dnsNames'];
      o['spec']['privateKey']['rotationPolicy'] = 'always';
      o['spec']['isCA'] = 'false';
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.dnsName', message: 'unknown field "dnsName" (did you mean "dnsNames"?)' },
      { path: 'spec.isCA', message: 'must be boolean (got string "false")' },
      {
        path: 'spec.privateKey.rotationPolicy',
        message: 'must be "Never" or "Always" (got string "always")',
      },
    ]);
  });

  it('rejects key sizes the webhook refuses', () => {
    const rsa = broken(wildcardCertificate, (o) => {
      o['spec']['privateKey']['size'] = 1024;
    });
    expect(validator.validate(rsa)).toEqual([
      { path: 'spec.privateKey.size', message: 'must be >= 2048 (got number 1024)' },
    ]);
    const ecdsa = broken(caCertificate, (o) => {
      o['spec']['privateKey']['size'] = 2048;
    });
    expect(validator.validate(ecdsa)).toEqual([
      { path: 'spec.privateKey.size', message: 'must be 256 or 384 or 521 (got number 2048)' },
    ]);
  });

  it('rejects a non-Go duration and a misspelt issuer kind', () => {
    const obj = broken(wildcardCertificate, (o) => {
      o['spec']['duration'] = '90d';
      o['spec']['issuerRef']['kind'] = 'ClusterIsuer';
    });
    expect(validator.validate(obj).map((v) => v.path)).toEqual(['spec.issuerRef.kind', 'spec.duration']);
  });

  it('requires the certificate to name something', () => {
    const obj = broken(wildcardCertificate, (o) => {
      delete o['spec']['dnsNames'];
    });
    expect(validator.validate(obj).map((v) => v.message)).toContain('missing required field "dnsNames"');
  });

  it('rejects feature-gated alpha fields', () => {
    const obj = broken(caCertificate, (o) => {
      o['spec']['literalSubject'] = 'CN=ca';
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.literalSubject', message: 'unknown field "literalSubject"' },
    ]);
  });
});

describe('Issuer mistakes', () => {
  it('requires exactly one issuer type', () => {
    const none = broken(selfSigned, (o) => {
      o['spec'] = {};
    });
    expect(validator.validate(none)).toEqual([
      { path: 'spec', message: 'must NOT have fewer than 1 properties (got object)' },
    ]);
    const two = broken(internalCa, (o) => {
      o['spec']['selfSigned'] = {};
    });
    expect(validator.validate(two)).toEqual([
      { path: 'spec', message: 'must NOT have more than 1 properties (got object)' },
    ]);
  });

  it('requires the CA secret and the ACME account key', () => {
    const ca = broken(internalCa, (o) => {
      o['spec']['ca'] = { secretname: 'internal-ca' };
    });
    expect(validator.validate(ca)).toEqual([
      { path: 'spec.ca.secretName', message: 'missing required field "secretName"' },
      { path: 'spec.ca.secretname', message: 'unknown field "secretname" (did you mean "secretName"?)' },
    ]);
    const acme = broken(letsEncrypt, (o) => {
      delete o['spec']['acme']['privateKeySecretRef'];
    });
    expect(validator.validate(acme)).toEqual([
      { path: 'spec.acme.privateKeySecretRef', message: 'missing required field "privateKeySecretRef"' },
    ]);
  });

  it('checks the Route 53 solver and the solver type', () => {
    const obj = broken(letsEncrypt, (o) => {
      o['spec']['acme']['solvers'][0]['dns01']['route53']['hostedZoneId'] = 'Z0123456789ABC';
      o['spec']['acme']['solvers'][1]['dns01'] = { route53: { region: 'eu-west-1' } };
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.acme.solvers[0].dns01.route53.hostedZoneId',
        message: 'unknown field "hostedZoneId" (did you mean "hostedZoneID"?)',
      },
      {
        path: 'spec.acme.solvers[1]',
        message: 'must match exactly one allowed form, but matches several',
      },
    ]);
  });

  it('requires parentRefs on a Gateway HTTP-01 solver and checks them like an HTTPRoute does', () => {
    const obj = broken(letsEncrypt, (o) => {
      o['spec']['acme']['solvers'][1]['http01']['gatewayHTTPRoute']['parentRefs'][0]['port'] = 0;
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.acme.solvers[1].http01.gatewayHTTPRoute.parentRefs[0].port',
        message: 'must be >= 1 (got number 0)',
      },
    ]);
    const missing = broken(letsEncrypt, (o) => {
      o['spec']['acme']['solvers'][1]['http01']['gatewayHTTPRoute'] = { serviceType: 'ClusterIP' };
    });
    expect(validator.validate(missing)).toEqual([
      {
        path: 'spec.acme.solvers[1].http01.gatewayHTTPRoute.parentRefs',
        message: 'missing required field "parentRefs"',
      },
    ]);
  });
});

/**
 * cert-manager v1.18.2, cert-manager.io/v1: Certificate, Issuer and ClusterIssuer. Issuers cover the self-signed,
 * CA and ACME types (ACME with Route 53 DNS-01 and HTTP-01 through an Ingress or a Gateway API HTTPRoute).
 * Rules the cert-manager webhook enforces (one issuer type, one solver type, key sizes) are added on top of the
 * CRD, because the webhook would reject those objects at apply time. Feature-gated alpha fields (literalSubject,
 * otherNames, nameConstraints) are left out: the webhook rejects them with the default gates.
 */
import { kubernetesRef } from '../ajv-setup';
import { PARENT_REFERENCE } from './gateway-api';
import {
  annotations,
  array,
  bool,
  customResource,
  enumOf,
  excludes,
  integer,
  k8s,
  labels,
  object,
  only,
  requires,
  str,
  string,
  stringMap,
  strings,
  whenField,
  whenFieldOrDefault,
} from './schema-builders';
import type { CrdSchema } from './schema-builders';

const API_VERSION = 'cert-manager.io/v1';

/** Go time.Duration as the webhook parses it, e.g. "2160h" or "1h30m". */
const goDuration = string({ pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' });

/** cert-manager's own SecretKeySelector: name required, key optional (defaults per use). */
const secretKeySelector = object({ name: str, key: str }, ['name']);

const objectMetaTemplate = object({ annotations, labels });

/** The solver pod's template: cert-manager copies only these pod fields. */
const solverPodTemplate = object({
  metadata: objectMetaTemplate,
  spec: object({
    affinity: k8s.affinity,
    nodeSelector: stringMap,
    tolerations: k8s.tolerations,
    priorityClassName: str,
    serviceAccountName: str,
    imagePullSecrets: k8s.imagePullSecrets,
    securityContext: object({
      fsGroup: integer(),
      fsGroupChangePolicy: enumOf('OnRootMismatch', 'Always'),
      runAsGroup: integer(),
      runAsNonRoot: bool,
      runAsUser: integer(),
      seLinuxOptions: kubernetesRef('core.v1.SELinuxOptions'),
      seccompProfile: kubernetesRef('core.v1.SeccompProfile'),
      supplementalGroups: array(integer()),
      sysctls: array(kubernetesRef('core.v1.Sysctl')),
    }),
  }),
});

const serviceType = enumOf('ClusterIP', 'NodePort');

const http01 = object(
  {
    ingress: object(
      {
        class: str,
        ingressClassName: str,
        name: str,
        serviceType,
        podTemplate: solverPodTemplate,
        ingressTemplate: object({ metadata: objectMetaTemplate }),
      },
      [],
      // Webhook: at most one way to pick the Ingress.
      { allOf: [excludes('class', 'ingressClassName', 'name'), excludes('ingressClassName', 'name')] },
    ),
    gatewayHTTPRoute: object(
      {
        labels,
        parentRefs: array(PARENT_REFERENCE, { minItems: 1 }),
        serviceType,
        podTemplate: solverPodTemplate,
      },
      // Webhook: the solver route must attach to a Gateway.
      ['parentRefs'],
    ),
  },
  [],
  // Webhook: exactly one HTTP-01 solver type.
  { minProperties: 1, maxProperties: 1 },
);

const route53 = object(
  {
    region: str,
    hostedZoneID: str,
    role: str,
    accessKeyID: str,
    accessKeyIDSecretRef: secretKeySelector,
    secretAccessKeySecretRef: secretKeySelector,
    auth: object(
      {
        kubernetes: object({ serviceAccountRef: object({ name: str, audiences: strings }, ['name']) }, [
          'serviceAccountRef',
        ]),
      },
      ['kubernetes'],
    ),
  },
  [],
  // Webhook: the access key ID comes inline or from a Secret, not both.
  excludes('accessKeyID', 'accessKeyIDSecretRef'),
);

/** Only Route 53 is modelled among the DNS-01 providers: it is the platform's DNS. */
const dns01 = object({ cnameStrategy: enumOf('None', 'Follow'), route53 }, ['route53']);

const acmeSolver = object(
  {
    selector: object({ dnsNames: strings, dnsZones: strings, matchLabels: stringMap }),
    http01,
    dns01,
  },
  [],
  // Webhook: exactly one of http01 and dns01.
  { oneOf: [requires('http01'), requires('dns01')] },
);

const acmeIssuer = object(
  {
    server: str,
    email: str,
    privateKeySecretRef: secretKeySelector,
    solvers: array(acmeSolver),
    preferredChain: string({ maxLength: 64 }),
    caBundle: str,
    skipTLSVerify: bool,
    disableAccountKeyGeneration: bool,
    enableDurationFeature: bool,
    profile: str,
    externalAccountBinding: object(
      { keyID: str, keySecretRef: secretKeySelector, keyAlgorithm: enumOf('HS256', 'HS384', 'HS512') },
      ['keyID', 'keySecretRef'],
    ),
  },
  ['server', 'privateKeySecretRef'],
  excludes('caBundle', 'skipTLSVerify'),
);

const issuerSpec = object(
  {
    selfSigned: object({ crlDistributionPoints: strings }),
    ca: object(
      {
        secretName: str,
        crlDistributionPoints: strings,
        issuingCertificateURLs: strings,
        ocspServers: strings,
      },
      ['secretName'],
    ),
    acme: acmeIssuer,
  },
  [],
  // Webhook: exactly one issuer type (vault and venafi are not modelled).
  { minProperties: 1, maxProperties: 1 },
);

const issuer = customResource(issuerSpec);

const KEY_USAGES = [
  'signing',
  'digital signature',
  'content commitment',
  'key encipherment',
  'key agreement',
  'data encipherment',
  'cert sign',
  'crl sign',
  'encipher only',
  'decipher only',
  'any',
  'server auth',
  'client auth',
  'code signing',
  'email protection',
  's/mime',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'timestamping',
  'ocsp signing',
  'microsoft sgc',
  'netscape sgc',
];

const privateKey = object(
  {
    rotationPolicy: enumOf('Never', 'Always'),
    encoding: enumOf('PKCS1', 'PKCS8'),
    algorithm: enumOf('RSA', 'ECDSA', 'Ed25519'),
    size: integer(),
  },
  [],
  {
    // Webhook: the sizes each algorithm supports (RSA is the default algorithm).
    allOf: [
      { if: whenFieldOrDefault('algorithm', 'RSA'), then: only({ size: integer(2048, 8192) }) },
      {
        if: whenField('algorithm', 'ECDSA'),
        then: only({ size: { type: 'integer', enum: [256, 384, 521] } }),
      },
    ],
  },
);

/** Issuers of cert-manager's own group (also when group is empty) are Issuer or ClusterIssuer. */
const issuerRef = object({ name: str, kind: str, group: str }, ['name'], {
  if: whenFieldOrDefault('group', '', 'cert-manager.io'),
  then: only({ kind: enumOf('Issuer', 'ClusterIssuer') }),
});

const passwordKeystore = {
  create: bool,
  password: str,
  passwordSecretRef: secretKeySelector,
};

const certificateSpec = object(
  {
    secretName: str,
    issuerRef,
    commonName: string({ maxLength: 64 }),
    dnsNames: strings,
    ipAddresses: strings,
    uris: strings,
    emailAddresses: strings,
    subject: object({
      organizations: strings,
      countries: strings,
      organizationalUnits: strings,
      localities: strings,
      provinces: strings,
      streetAddresses: strings,
      postalCodes: strings,
      serialNumber: str,
    }),
    isCA: bool,
    duration: goDuration,
    renewBefore: goDuration,
    renewBeforePercentage: integer(1, 99),
    usages: array(enumOf(...KEY_USAGES)),
    privateKey,
    signatureAlgorithm: enumOf(
      'SHA256WithRSA',
      'SHA384WithRSA',
      'SHA512WithRSA',
      'ECDSAWithSHA256',
      'ECDSAWithSHA384',
      'ECDSAWithSHA512',
      'PureEd25519',
    ),
    encodeUsagesInRequest: bool,
    revisionHistoryLimit: integer(1),
    secretTemplate: object({ annotations, labels }),
    additionalOutputFormats: array(object({ type: enumOf('DER', 'CombinedPEM') }, ['type'])),
    keystores: object({
      jks: object({ ...passwordKeystore, alias: str }, ['create']),
      pkcs12: object({ ...passwordKeystore, profile: enumOf('LegacyRC2', 'LegacyDES', 'Modern2023') }, [
        'create',
      ]),
    }),
  },
  ['secretName', 'issuerRef'],
  {
    // Webhook: the certificate must name something, and renewBefore and renewBeforePercentage exclude each other.
    anyOf: ['commonName', 'dnsNames', 'ipAddresses', 'uris', 'emailAddresses'].map((field) =>
      requires(field),
    ),
    ...excludes('renewBefore', 'renewBeforePercentage'),
  },
);

export const CERT_MANAGER_SCHEMAS: readonly CrdSchema[] = [
  { apiVersion: API_VERSION, kind: 'Certificate', schema: customResource(certificateSpec) },
  { apiVersion: API_VERSION, kind: 'Issuer', schema: issuer },
  { apiVersion: API_VERSION, kind: 'ClusterIssuer', schema: issuer },
];

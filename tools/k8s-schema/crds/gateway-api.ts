/**
 * Gateway API, standard channel v1.3.0 (the bundle Envoy Gateway v1.5 installs): GatewayClass, Gateway and
 * HTTPRoute in gateway.networking.k8s.io/v1, ReferenceGrant in v1beta1. Only v1 is registered for the route
 * and gateway kinds, so a v1beta1 object is reported with a pointer to v1. Experimental-channel fields are
 * left out: the platform must not depend on them.
 */
import type { JsonSchema } from '../schema-types';
import {
  annotations,
  array,
  constrain,
  customResource,
  enumOf,
  excludes,
  forbid,
  integer,
  k8s,
  labels,
  object,
  only,
  requireWhen,
  requires,
  str,
  string,
  whenField,
  whenFieldOrDefault,
} from './schema-builders';
import type { CrdSchema } from './schema-builders';

const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN = `${DNS_LABEL}(\\.${DNS_LABEL})*`;

const group = string({ maxLength: 253, pattern: `^$|^${DNS_SUBDOMAIN}$` });
const kind = string({ minLength: 1, maxLength: 63, pattern: '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$' });
const objectName = string({ minLength: 1, maxLength: 253 });
const namespace = string({ minLength: 1, maxLength: 63, pattern: `^${DNS_LABEL}$` });
const sectionName = string({ minLength: 1, maxLength: 253, pattern: `^${DNS_SUBDOMAIN}$` });
const port = integer(1, 65535);
const hostname = string({ minLength: 1, maxLength: 253, pattern: `^(\\*\\.)?${DNS_SUBDOMAIN}$` });
const preciseHostname = string({ minLength: 1, maxLength: 253, pattern: `^${DNS_SUBDOMAIN}$` });
const headerName = string({ minLength: 1, maxLength: 256, pattern: "^[-A-Za-z0-9!#$%&'*+.^_\\x60|~]+$" });
/** Gateway API Duration (GEP-2257): up to four <number><unit> pairs, e.g. "1h30m" or "500ms". */
export const GATEWAY_DURATION = string({ pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$' });

/** LocalObjectReference / ParametersReference: group, kind and name, all required. */
const localObjectReference = object({ group, kind, name: objectName }, ['group', 'kind', 'name']);

/** A route's parent (usually a Gateway, optionally one listener of it). */
export const PARENT_REFERENCE = object({ group, kind, namespace, name: objectName, sectionName, port }, [
  'name',
]);

/** Exact and PathPrefix paths: absolute, URL-safe, no "//", "/./", "/../", trailing "/." or "/..", no "%2F". */
const ABSOLUTE_PATH =
  "^(?!.*//)(?!.*/\\.\\.?(/|$))(?!.*%2[fF])/(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})*$";

const pathMatch = object(
  {
    type: enumOf('Exact', 'PathPrefix', 'RegularExpression'),
    value: string({ maxLength: 1024 }),
  },
  [],
  // The CRD states this in CEL; type defaults to PathPrefix.
  {
    if: whenFieldOrDefault('type', 'Exact', 'PathPrefix'),
    then: only({ value: string({ pattern: ABSOLUTE_PATH }) }),
  },
);

const headerMatch = object(
  {
    type: enumOf('Exact', 'RegularExpression'),
    name: headerName,
    value: string({ minLength: 1, maxLength: 4096 }),
  },
  ['name', 'value'],
);

const queryParamMatch = object(
  {
    type: enumOf('Exact', 'RegularExpression'),
    name: headerName,
    value: string({ minLength: 1, maxLength: 1024 }),
  },
  ['name', 'value'],
);

const routeMatch = object({
  path: pathMatch,
  headers: array(headerMatch, { maxItems: 16 }),
  queryParams: array(queryParamMatch, { maxItems: 16 }),
  method: enumOf('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'),
});

const header = object({ name: headerName, value: string({ minLength: 1, maxLength: 4096 }) }, [
  'name',
  'value',
]);

const headerModifier = object({
  set: array(header, { maxItems: 16 }),
  add: array(header, { maxItems: 16 }),
  remove: array(str, { maxItems: 16 }),
});

/** Redirect and rewrite paths: the type names which of the two replacement fields is set. */
const pathModifier = object(
  {
    type: enumOf('ReplaceFullPath', 'ReplacePrefixMatch'),
    replaceFullPath: string({ maxLength: 1024 }),
    replacePrefixMatch: string({ maxLength: 1024 }),
  },
  ['type'],
  {
    allOf: [
      {
        if: whenField('type', 'ReplaceFullPath'),
        then: constrain(['replaceFullPath'], ['replacePrefixMatch']),
      },
      {
        if: whenField('type', 'ReplacePrefixMatch'),
        then: constrain(['replacePrefixMatch'], ['replaceFullPath']),
      },
    ],
  },
);

/** A reference to a Service (the default kind), which then needs a port. */
function backendObjectReference(extra: Readonly<Record<string, JsonSchema>> = {}): JsonSchema {
  return object({ group, kind, name: objectName, namespace, port, ...extra }, ['name'], {
    if: only({ group: { const: '' }, kind: { const: 'Service' } }),
    then: requires('port'),
  });
}

/** Each filter type goes with the one field of the same name, and no other. */
const FILTER_FIELDS: Readonly<Record<string, string>> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestMirror: 'requestMirror',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  ExtensionRef: 'extensionRef',
};

const httpRouteFilter = object(
  {
    type: enumOf(...Object.keys(FILTER_FIELDS)),
    requestHeaderModifier: headerModifier,
    responseHeaderModifier: headerModifier,
    requestMirror: object(
      {
        backendRef: backendObjectReference(),
        percent: integer(0, 100),
        fraction: object({ numerator: integer(0), denominator: integer(1) }, ['numerator']),
      },
      ['backendRef'],
      excludes('percent', 'fraction'),
    ),
    requestRedirect: object({
      scheme: enumOf('http', 'https'),
      hostname: preciseHostname,
      path: pathModifier,
      port,
      statusCode: { type: 'integer', enum: [301, 302] },
    }),
    urlRewrite: object({ hostname: preciseHostname, path: pathModifier }),
    extensionRef: localObjectReference,
  },
  ['type'],
  {
    allOf: Object.entries(FILTER_FIELDS).map(([type, field]) => ({
      if: whenField('type', type),
      then: constrain(
        [field],
        Object.values(FILTER_FIELDS).filter((other) => other !== field),
      ),
    })),
  },
);

const httpBackendRef = backendObjectReference({
  weight: integer(0, 1000000),
  filters: array(httpRouteFilter, { maxItems: 16 }),
});

const httpRouteRule = object({
  matches: array(routeMatch, { maxItems: 64 }),
  filters: array(httpRouteFilter, { maxItems: 16 }),
  backendRefs: array(httpBackendRef, { maxItems: 16 }),
  timeouts: object({ request: GATEWAY_DURATION, backendRequest: GATEWAY_DURATION }),
});

const httpRoute = customResource(
  object({
    parentRefs: array(PARENT_REFERENCE, { maxItems: 32 }),
    hostnames: array(hostname, { maxItems: 16 }),
    rules: array(httpRouteRule, { maxItems: 16 }),
  }),
);

const gatewayClass = customResource(
  object(
    {
      controllerName: string({
        minLength: 1,
        maxLength: 253,
        pattern: `^${DNS_SUBDOMAIN}/[-A-Za-z0-9/._~%!$&'()*+,;=:]+$`,
      }),
      parametersRef: object({ group, kind, name: objectName, namespace }, ['group', 'kind', 'name']),
      description: string({ maxLength: 64 }),
    },
    ['controllerName'],
  ),
);

const certificateRef = object({ group, kind, name: objectName, namespace }, ['name']);

const listenerTls = object(
  {
    mode: enumOf('Terminate', 'Passthrough'),
    certificateRefs: array(certificateRef, { maxItems: 64 }),
    options: { type: 'object', maxProperties: 16, additionalProperties: string({ maxLength: 4096 }) },
  },
  [],
  {
    // CEL: a terminating listener needs a certificate (or implementation options); mode defaults to Terminate.
    if: whenFieldOrDefault('mode', 'Terminate'),
    then: {
      anyOf: [
        { required: ['certificateRefs'], ...only({ certificateRefs: { type: 'array', minItems: 1 } }) },
        { required: ['options'], ...only({ options: { type: 'object', minProperties: 1 } }) },
      ],
    },
  },
);

/**
 * The CRD accepts any protocol token; Envoy Gateway implements only these, and a typo ("HTTP2", "Https")
 * would otherwise surface as an unaccepted listener after deploy.
 */
const LISTENER_PROTOCOLS = ['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP'] as const;

const listener = object(
  {
    name: sectionName,
    hostname,
    port,
    protocol: enumOf(...LISTENER_PROTOCOLS),
    tls: listenerTls,
    allowedRoutes: object({
      namespaces: object({ from: enumOf('All', 'Selector', 'Same'), selector: k8s.labelSelector }, [], {
        ...requireWhen('from', 'Selector', ['selector']),
      }),
      kinds: array(object({ group, kind }, ['kind']), { maxItems: 8 }),
    }),
  },
  ['name', 'port', 'protocol'],
  {
    allOf: [
      { if: whenField('protocol', 'HTTP', 'TCP', 'UDP'), then: forbid('tls') },
      { if: whenField('protocol', 'TCP', 'UDP'), then: forbid('hostname') },
      // Gateway API requires TLS settings for these protocols; HTTPS must terminate.
      { if: whenField('protocol', 'HTTPS', 'TLS'), then: requires('tls') },
      {
        if: whenField('protocol', 'HTTPS'),
        then: only({ tls: only({ mode: { const: 'Terminate' } }) }),
      },
    ],
  },
);

const ADDRESS_TYPE = `^(Hostname|IPAddress|NamedAddress|${DNS_SUBDOMAIN}/[-A-Za-z0-9/._~%!$&'()*+,;=:]+)$`;

const gatewayAddress = object(
  {
    type: string({ minLength: 1, maxLength: 253, pattern: ADDRESS_TYPE }),
    value: string({ maxLength: 253 }),
  },
  [],
  {
    if: whenField('type', 'Hostname'),
    then: only({ value: string({ pattern: `^(\\*\\.)?${DNS_SUBDOMAIN}$` }) }),
  },
);

const gateway = customResource(
  object(
    {
      gatewayClassName: objectName,
      listeners: array(listener, { minItems: 1, maxItems: 64 }),
      addresses: array(gatewayAddress, { maxItems: 16 }),
      infrastructure: object({
        labels: { ...labels, maxProperties: 8 },
        annotations: { ...annotations, maxProperties: 8, additionalProperties: string({ maxLength: 4096 }) },
        parametersRef: localObjectReference,
      }),
    },
    ['gatewayClassName', 'listeners'],
  ),
);

const referenceGrant = customResource(
  object(
    {
      from: array(object({ group, kind, namespace }, ['group', 'kind', 'namespace']), {
        minItems: 1,
        maxItems: 16,
      }),
      to: array(object({ group, kind, name: objectName }, ['group', 'kind']), { minItems: 1, maxItems: 16 }),
    },
    ['from', 'to'],
  ),
);

/** Field types Envoy Gateway's policies share with Gateway API. */
export const GATEWAY_API_FIELDS = { group, kind, sectionName, header } as const;

export const GATEWAY_API_SCHEMAS: readonly CrdSchema[] = [
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', schema: gatewayClass },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', schema: gateway },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', schema: httpRoute },
  { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', schema: referenceGrant },
];

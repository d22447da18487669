import type { AlloyConfigProps } from './alloy-config-props';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const HOST =
  /^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*$/;
const PREFIX = 'alloyConfig';

function fail(field: string, value: unknown, allowed: string): never {
  throw new Error(`${PREFIX}.${field} must be ${allowed} (got ${JSON.stringify(value)})`);
}

function validateUrl(field: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(field, value, 'an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(field, value, 'an http(s) URL');
  // A URL lands in a ConfigMap in clear text: credentials belong in a Secret-backed basic_auth block.
  if (url.username !== '' || url.password !== '') fail(field, '<redacted>', 'a URL without credentials');
  if (url.search !== '' || url.hash !== '') fail(field, value, 'a URL without query or fragment');
}

function validateHostPort(field: string, value: string): void {
  const match = /^(.+):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : NaN;
  if (!match || !HOST.test(match[1] ?? '') || port < 1 || port > 65535) {
    fail(field, value, 'host:port with a DNS name or IPv4 host and a port in 1..65535');
  }
}

/** Throws naming the field, the value and what is allowed. */
export function validateAlloyConfigProps(props: AlloyConfigProps): void {
  const { namespaces } = props;
  if (!Array.isArray(namespaces) || namespaces.length === 0) {
    fail('namespaces', namespaces, 'a non-empty list of namespaces');
  }
  const seen = new Set<string>();
  namespaces.forEach((ns, i) => {
    if (typeof ns !== 'string' || !DNS_LABEL.test(ns)) {
      fail(`namespaces[${i}]`, ns, 'a DNS label (a-z, 0-9, "-", at most 63)');
    }
    if (seen.has(ns)) fail(`namespaces[${i}]`, ns, 'distinct from the namespaces before it');
    seen.add(ns);
  });
  if (props.lokiPushUrl !== undefined) validateUrl('lokiPushUrl', props.lokiPushUrl);
  if (props.tempoOtlpEndpoint !== undefined) validateHostPort('tempoOtlpEndpoint', props.tempoOtlpEndpoint);
  if (props.tempoInsecure !== undefined && typeof props.tempoInsecure !== 'boolean') {
    fail('tempoInsecure', props.tempoInsecure, 'a boolean');
  }
}

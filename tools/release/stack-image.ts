import { isMap, isScalar, parse, parseDocument, Scalar } from 'yaml';
import { isDeepStrictEqual } from 'node:util';

/** Where a service's image lives in a stack file, as the path of keys under the document root. */
export const imagePath = (service: string): string[] => ['config', 'platform:services', service, 'image'];

export class StackEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackEditError';
  }
}

function parseStackText(text: string, file: string) {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    throw new StackEditError(`${file} is not valid YAML: ${doc.errors[0]?.message ?? 'unknown error'}`);
  }
  return doc;
}

/** The image a stack file declares for a service, or undefined when the service is not declared. */
export function readServiceImage(text: string, file: string, service: string): string | undefined {
  const doc = parseStackText(text, file);
  const value: unknown = doc.getIn(imagePath(service));
  return typeof value === 'string' ? value : undefined;
}

/** Renders the new value the way the old one was written: plain when YAML reads it back unchanged. */
function renderScalar(value: string, old: Scalar): string {
  if (old.type === Scalar.QUOTE_SINGLE && !value.includes("'")) return `'${value}'`;
  if (old.type === Scalar.QUOTE_DOUBLE || old.type === Scalar.QUOTE_SINGLE) return JSON.stringify(value);
  return parse(value) === value && !value.includes('#') ? value : JSON.stringify(value);
}

/**
 * The stack file's text with `platform:services.<service>.image` set to `image`. Only the characters of
 * that one value change: the node's source range is replaced, so comments, blank lines, key order, quoting
 * and flow style elsewhere stay byte for byte (a Document re-stringified with `toString()` would not: it
 * rewrites `[m6i.2xlarge]` as `[ m6i.2xlarge ]`). The result is checked against `setIn` on the document:
 * both must read as the same data.
 */
export function setServiceImage(text: string, file: string, service: string, image: string): string {
  const doc = parseStackText(text, file);
  const services = doc.getIn(['config', 'platform:services'], true);
  const howToAdd =
    `add it under "config" -> "platform:services" in ${file}, e.g.\n` +
    `  platform:services:\n    ${service}:\n      image: ${image}`;
  if (!isMap(services)) {
    throw new StackEditError(`${file} declares no "platform:services"; ${howToAdd}`);
  }
  if (!services.has(service)) {
    const declared = services.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key)).join(', ');
    throw new StackEditError(
      `service "${service}" is not declared in ${file} (declared: ${declared || 'none'}); ${howToAdd}`,
    );
  }
  const node = doc.getIn(imagePath(service), true);
  if (!isScalar(node) || typeof node.value !== 'string' || node.range === undefined || node.range === null) {
    throw new StackEditError(
      `platform:services.${service}.image in ${file} must be a plain string to be edited (found ${node === undefined ? 'nothing' : 'a non-string value'}); ` +
        `set it as "image: <registry>/<repository>@sha256:<64 hex>"`,
    );
  }
  const [start, valueEnd] = node.range;
  const edited = `${text.slice(0, start)}${renderScalar(image, node)}${text.slice(valueEnd)}`;

  doc.setIn(imagePath(service), image);
  const check = parseDocument(edited);
  if (check.errors.length > 0 || !isDeepStrictEqual(check.toJS(), doc.toJS())) {
    throw new StackEditError(
      `editing ${file} in place would not give the expected data (platform:services.${service}.image = ${JSON.stringify(image)}); the file was left as it was`,
    );
  }
  return edited;
}

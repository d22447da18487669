import type { AlloyExpression, ParsedBlock, ParsedStatement } from './alloy-parser';
import { parseAlloy } from './alloy-parser';

/**
 * What the checker knows about the components the config uses (from the Alloy v1 reference): the exports
 * other components may reference, which of them are sinks (a reference to a sink means data flows *to* the
 * referenced component), and what must be set.
 */
interface ComponentSchema {
  readonly exports: readonly string[];
  readonly sinks: readonly string[];
  /** Required attributes or inner blocks (`a.b` = attribute b of inner block a). */
  readonly required: readonly string[];
}

export const KNOWN_COMPONENTS: Readonly<Record<string, ComponentSchema>> = {
  'discovery.kubernetes': { exports: ['targets'], sinks: [], required: ['role'] },
  'discovery.relabel': { exports: ['output', 'rules'], sinks: [], required: ['targets'] },
  'loki.source.kubernetes': { exports: [], sinks: [], required: ['targets', 'forward_to'] },
  'loki.source.file': { exports: [], sinks: [], required: ['targets', 'forward_to'] },
  'loki.process': { exports: ['receiver'], sinks: ['receiver'], required: ['forward_to'] },
  'loki.write': { exports: ['receiver'], sinks: ['receiver'], required: ['endpoint.url'] },
  'otelcol.receiver.otlp': { exports: [], sinks: [], required: ['output'] },
  'otelcol.processor.batch': { exports: ['input'], sinks: ['input'], required: ['output'] },
  'otelcol.exporter.otlp': { exports: ['input'], sinks: ['input'], required: ['client.endpoint'] },
};

/** Top-level blocks that configure Alloy itself and take no label. */
const CONFIG_BLOCKS = new Set(['logging', 'tracing', 'livedebugging', 'http', 'remotecfg']);

/** Roots of the standard library: references under them are functions or constants, not components. */
const STDLIB_ROOTS = new Set([
  'sys',
  'constants',
  'string',
  'encoding',
  'convert',
  'array',
  'json_path',
  'coalesce',
  'concat',
  'format',
  'join',
  'nonsensitive',
]);

export interface AlloyComponent {
  readonly name: string;
  readonly label: string;
  /** `name.label`, how other components reference it. */
  readonly id: string;
  readonly block: ParsedBlock;
}

/** Data flows from `from` to `to`. */
export interface AlloyEdge {
  readonly from: string;
  readonly to: string;
  /** The attribute that wires them, e.g. `forward_to` or `output.traces`. */
  readonly via: string;
}

export interface AlloyConfigGraph {
  readonly components: readonly AlloyComponent[];
  readonly edges: readonly AlloyEdge[];
}

export class AlloyConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid Alloy configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AlloyConfigError';
  }
}

/** `a.b.c` for an identifier/field-access chain, undefined for anything else. */
function dottedPath(expression: AlloyExpression): string[] | undefined {
  if (expression.kind === 'ident') return [expression.name];
  if (expression.kind === 'access') {
    const base = dottedPath(expression.object);
    return base && [...base, expression.field];
  }
  return undefined;
}

/** Every maximal reference chain in an expression (the callee of a call counts as one). */
function references(expression: AlloyExpression): string[][] {
  const path = dottedPath(expression);
  if (path) return [path];
  switch (expression.kind) {
    case 'access':
      return references(expression.object);
    case 'index':
      return [...references(expression.object), ...references(expression.index)];
    case 'call':
      return [...references(expression.callee), ...expression.args.flatMap(references)];
    case 'array':
      return expression.items.flatMap(references);
    case 'object':
      return expression.entries.flatMap((e) => references(e.value));
    case 'unary':
      return references(expression.operand);
    case 'binary':
      return [...references(expression.left), ...references(expression.right)];
    default:
      return [];
  }
}

function attributesDeep(
  body: readonly ParsedStatement[],
  prefix = '',
): { readonly path: string; readonly value: AlloyExpression }[] {
  return body.flatMap((s) =>
    s.kind === 'attribute'
      ? [{ path: `${prefix}${s.name}`, value: s.value }]
      : attributesDeep(s.body, `${prefix}${s.name}.`),
  );
}

function hasPath(body: readonly ParsedStatement[], path: string): boolean {
  const [head, ...rest] = path.split('.');
  return body.some((s) =>
    rest.length === 0
      ? s.name === head
      : s.kind === 'block' && s.name === head && hasPath(s.body, rest.join('.')),
  );
}

/**
 * Parses the text and checks what Alloy would reject when loading it: unknown or duplicate components,
 * missing required settings, references to components or exports that do not exist. Returns the components
 * and the data-flow edges between them; throws AlloySyntaxError or AlloyConfigError.
 */
export function checkAlloyConfig(source: string): AlloyConfigGraph {
  const statements = parseAlloy(source);
  const problems: string[] = [];
  const components: AlloyComponent[] = [];

  for (const s of statements) {
    if (s.kind === 'attribute') {
      problems.push(`line ${s.line}: attribute ${s.name} is not allowed at the top level`);
      continue;
    }
    if (CONFIG_BLOCKS.has(s.name)) {
      if (s.label !== undefined) problems.push(`line ${s.line}: block ${s.name} takes no label`);
      continue;
    }
    const schema = KNOWN_COMPONENTS[s.name];
    if (!schema) {
      problems.push(`line ${s.line}: unknown component ${s.name}`);
      continue;
    }
    if (s.label === undefined) {
      problems.push(`line ${s.line}: component ${s.name} needs a label`);
      continue;
    }
    const id = `${s.name}.${s.label}`;
    if (components.some((c) => c.id === id))
      problems.push(`line ${s.line}: component ${id} is defined twice`);
    for (const required of schema.required) {
      if (!hasPath(s.body, required)) problems.push(`line ${s.line}: component ${id} is missing ${required}`);
    }
    components.push({ name: s.name, label: s.label, id, block: s });
  }

  const edges: AlloyEdge[] = [];
  for (const component of components) {
    for (const { path: via, value } of attributesDeep(component.block.body)) {
      for (const ref of references(value)) {
        const root = ref[0] ?? '';
        if (STDLIB_ROOTS.has(root)) continue;
        // A component reference is <name with dots>.<label>.<export>; find the split naming a component.
        const target = components.find((c) => {
          const nameParts = c.name.split('.').length;
          return ref.slice(0, nameParts).join('.') === c.name && ref[nameParts] === c.label;
        });
        const text = ref.join('.');
        if (!target) {
          problems.push(
            `${component.id}.${via}: ${text} does not reference a component defined in this config`,
          );
          continue;
        }
        const exported = ref[target.name.split('.').length + 1];
        const schema = KNOWN_COMPONENTS[target.name];
        if (exported === undefined || !schema?.exports.includes(exported)) {
          problems.push(
            `${component.id}.${via}: ${text} is not an export of ${target.name} (exports: ${schema?.exports.join(', ') || 'none'})`,
          );
          continue;
        }
        if (target.id === component.id)
          problems.push(`${component.id}.${via}: a component cannot reference itself`);
        const sink = schema.sinks.includes(exported);
        edges.push(
          sink ? { from: component.id, to: target.id, via } : { from: target.id, to: component.id, via },
        );
      }
    }
  }

  if (problems.length > 0) throw new AlloyConfigError(problems);
  return { components, edges };
}

/** The chain of components starting at `start`, following the single outgoing edge of each. */
export function followPipeline(graph: AlloyConfigGraph, start: string): string[] {
  const chain = [start];
  for (;;) {
    const last = chain[chain.length - 1];
    const out = graph.edges.filter((e) => e.from === last);
    if (out.length !== 1) return chain;
    const next = out[0]?.to ?? '';
    if (chain.includes(next)) throw new Error(`pipeline loops back to ${next}`);
    chain.push(next);
  }
}

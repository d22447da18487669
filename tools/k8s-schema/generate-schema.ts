/**
 * Builds JSON Schemas for every Kubernetes API type from the kubernetes-types declarations.
 * Loaded only when the cached schema is missing: TypeScript and ts-json-schema-generator are slow to load.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { createFormatter, createParser, DEFAULT_CONFIG, SchemaGenerator } from 'ts-json-schema-generator';
import type { CompletedConfig } from 'ts-json-schema-generator';
import {
  DNS1123_LABEL,
  LABEL_VALUE,
  QUALIFIED_NAME,
  QUANTITY,
  RFC3339_TIME,
  stringSchema,
} from './kubernetes-patterns';
import type { GeneratedSchema, JsonSchema } from './schema-types';

/** kubernetes-types types floats and integers alike as `number`; these are the API's only real floats. */
const FLOAT_DEFINITIONS: ReadonlySet<string> = new Set(['apiextensions.v1.JSONSchemaProps']);

/** Types declared as empty interfaces that in fact hold arbitrary JSON. */
const FREE_FORM_DEFINITIONS: Readonly<Record<string, JsonSchema>> = {
  'runtime.RawExtension': {},
  'apiextensions.v1.JSON': {},
  'meta.v1.FieldsV1': { type: 'object' },
};

/** CRD schema extensions that kubernetes-types leaves out of JSONSchemaProps (their names contain dashes). */
const KUBERNETES_SCHEMA_EXTENSIONS: Readonly<Record<string, JsonSchema>> = {
  'x-kubernetes-embedded-resource': { type: 'boolean' },
  'x-kubernetes-int-or-string': { type: 'boolean' },
  'x-kubernetes-list-map-keys': { type: 'array', items: { type: 'string' } },
  'x-kubernetes-list-type': { type: 'string' },
  'x-kubernetes-map-type': { type: 'string' },
  'x-kubernetes-preserve-unknown-fields': { type: 'boolean' },
  'x-kubernetes-validations': {
    type: 'array',
    items: { $ref: '#/definitions/apiextensions.v1.ValidationRule' },
  },
};

/** Maps whose keys and values Kubernetes validates as labels. */
/**
 * Enumerations the Kubernetes API enforces but kubernetes-types types as plain strings, so that a
 * misspelled value (`imagePullPolicy: Allways`) fails like a misspelled field. Values from the API reference.
 */
const ENUMS: readonly (readonly [definition: string, property: string, values: readonly string[]])[] = [
  ['core.v1.Container', 'imagePullPolicy', ['Always', 'IfNotPresent', 'Never']],
  ['core.v1.Container', 'terminationMessagePolicy', ['File', 'FallbackToLogsOnError']],
  ['core.v1.ContainerPort', 'protocol', ['TCP', 'UDP', 'SCTP']],
  ['core.v1.ServicePort', 'protocol', ['TCP', 'UDP', 'SCTP']],
  ['core.v1.PodSpec', 'restartPolicy', ['Always', 'OnFailure', 'Never']],
  ['core.v1.PodSpec', 'dnsPolicy', ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']],
  ['core.v1.ServiceSpec', 'type', ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']],
  ['core.v1.ServiceSpec', 'externalTrafficPolicy', ['Cluster', 'Local']],
  ['core.v1.ServiceSpec', 'sessionAffinity', ['ClientIP', 'None']],
  ['core.v1.SeccompProfile', 'type', ['RuntimeDefault', 'Unconfined', 'Localhost']],
  ['core.v1.TopologySpreadConstraint', 'whenUnsatisfiable', ['DoNotSchedule', 'ScheduleAnyway']],
  ['core.v1.Toleration', 'operator', ['Exists', 'Equal']],
  ['core.v1.Toleration', 'effect', ['NoSchedule', 'PreferNoSchedule', 'NoExecute']],
  ['core.v1.PersistentVolumeClaimSpec', 'volumeMode', ['Filesystem', 'Block']],
  ['core.v1.LimitRangeItem', 'type', ['Container', 'Pod', 'PersistentVolumeClaim']],
  ['apps.v1.DeploymentStrategy', 'type', ['Recreate', 'RollingUpdate']],
  ['apps.v1.StatefulSetSpec', 'podManagementPolicy', ['OrderedReady', 'Parallel']],
  ['apps.v1.StatefulSetUpdateStrategy', 'type', ['OnDelete', 'RollingUpdate']],
  ['networking.v1.NetworkPolicyPort', 'protocol', ['TCP', 'UDP', 'SCTP']],
  ['autoscaling.v2.MetricSpec', 'type', ['ContainerResource', 'External', 'Object', 'Pods', 'Resource']],
  ['autoscaling.v2.MetricTarget', 'type', ['AverageValue', 'Utilization', 'Value']],
  ['autoscaling.v2.HPAScalingPolicy', 'type', ['Percent', 'Pods']],
  ['autoscaling.v2.HPAScalingRules', 'selectPolicy', ['Disabled', 'Max', 'Min']],
  ['policy.v1.PodDisruptionBudgetSpec', 'unhealthyPodEvictionPolicy', ['AlwaysAllow', 'IfHealthyBudget']],
  ['batch.v1.CronJobSpec', 'concurrencyPolicy', ['Allow', 'Forbid', 'Replace']],
];
/** Array properties whose items are enumerations. */
const ENUM_ITEMS: readonly (readonly [definition: string, property: string, values: readonly string[]])[] = [
  ['networking.v1.NetworkPolicySpec', 'policyTypes', ['Ingress', 'Egress']],
  [
    'core.v1.PersistentVolumeClaimSpec',
    'accessModes',
    ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
  ],
];

const LABEL_MAPS: readonly (readonly [definition: string, property: string])[] = [
  ['meta.v1.ObjectMeta', 'labels'],
  ['meta.v1.LabelSelector', 'matchLabels'],
  ['core.v1.ServiceSpec', 'selector'],
  ['core.v1.ReplicationControllerSpec', 'selector'],
  ['core.v1.PodSpec', 'nodeSelector'],
];

export function kubernetesTypesDir(): string {
  return path.dirname(require.resolve('kubernetes-types/package.json'));
}

export function generateKubernetesSchema(): GeneratedSchema {
  const root = kubernetesTypesDir();
  const version = (
    JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const files = listDeclarationFiles(root);
  const program = ts.createProgram(files, { noEmit: true, skipLibCheck: true, types: [] });
  const config = {
    ...DEFAULT_CONFIG,
    expose: 'export',
    topRef: true,
    jsDoc: 'none',
    skipTypeCheck: true,
    encodeRefs: false,
    tsProgram: program,
  } satisfies CompletedConfig;
  const generator = new SchemaGenerator(
    program,
    createParser(program, config),
    createFormatter(config),
    config,
  );

  const modules = new Map<string, ModuleInfo>();
  const roots = new Map<string, ts.Node[]>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`TypeScript did not load ${file}`);
    const info = readModule(root, source);
    modules.set(info.id, info);
    roots.set(info.id, info.declarations);
  }

  const definitions: Record<string, JsonSchema> = {};
  for (const [moduleId, nodes] of roots) {
    if (nodes.length === 0) continue;
    // One file at a time: definitions are named by bare type name, and names repeat across API groups.
    const local = generator.createSchemaFromNodes(nodes).definitions ?? {};
    const qualify = (name: string): string => {
      const origin = findOrigin(modules, moduleId, name, new Set());
      if (origin === undefined) {
        throw new Error(`cannot tell which module declares ${name} (seen from ${moduleId})`);
      }
      return `${origin}.${name}`;
    };
    for (const [name, definition] of Object.entries(local)) {
      const qualified = qualify(name);
      const rewritten = rewriteRefs(definition as JsonSchema, qualify);
      const existing = definitions[qualified];
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(rewritten)) {
        throw new Error(`two different definitions for ${qualified}`);
      }
      definitions[qualified] = rewritten;
    }
  }

  patchDefinitions(definitions);
  return {
    format: SCHEMA_FORMAT,
    kubernetesTypesVersion: version,
    definitions,
    kinds: indexKinds(definitions),
  };
}

/** Bumped when the shape of GeneratedSchema changes, so that an old cache file is not misread. */
export const SCHEMA_FORMAT = 2;

interface ModuleInfo {
  /** "apps.v1" for apps/v1.d.ts, "runtime" for runtime.d.ts. */
  readonly id: string;
  readonly declarations: ts.Node[];
  readonly locals: ReadonlySet<string>;
  /** Imported name → id of the module it is imported from. */
  readonly imports: ReadonlyMap<string, string>;
}

function listDeclarationFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...listDeclarationFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

function moduleIdOf(root: string, file: string): string {
  return path
    .relative(root, file)
    .replace(/\.d\.ts$/, '')
    .split(path.sep)
    .join('.');
}

function readModule(root: string, source: ts.SourceFile): ModuleInfo {
  const declarations: ts.Node[] = [];
  const locals = new Set<string>();
  const imports = new Map<string, string>();
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      declarations.push(statement);
      locals.add(statement.name.text);
    } else if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const target = moduleIdOf(
        root,
        path.resolve(path.dirname(source.fileName), statement.moduleSpecifier.text),
      );
      const bindings = statement.importClause?.namedBindings;
      if (bindings !== undefined && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) imports.set(element.name.text, target);
      }
    }
  }
  return { id: moduleIdOf(root, source.fileName), declarations, locals, imports };
}

/** The module declaring `name` as seen from `moduleId`: itself, or reached through its imports. */
function findOrigin(
  modules: ReadonlyMap<string, ModuleInfo>,
  moduleId: string,
  name: string,
  seen: Set<string>,
): string | undefined {
  if (seen.has(moduleId)) return undefined;
  seen.add(moduleId);
  const info = modules.get(moduleId);
  if (info === undefined) return undefined;
  if (info.locals.has(name)) return moduleId;
  const direct = info.imports.get(name);
  if (direct !== undefined) return findOrigin(modules, direct, name, seen);
  for (const imported of new Set(info.imports.values())) {
    const origin = findOrigin(modules, imported, name, seen);
    if (origin !== undefined) return origin;
  }
  return undefined;
}

function rewriteRefs(schema: JsonSchema, qualify: (name: string) => string): JsonSchema {
  return mapSchema(schema, (node) => {
    const ref = node['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#/definitions/')) {
      return { ...node, $ref: `#/definitions/${qualify(ref.slice('#/definitions/'.length))}` };
    }
    return node;
  });
}

/** Rebuilds `value` bottom-up, letting `fn` replace every object node. */
function mapSchema(value: JsonSchema, fn: (node: JsonSchema) => JsonSchema): JsonSchema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const copy: JsonSchema = {};
    for (const [key, child] of Object.entries(node)) copy[key] = walk(child);
    return fn(copy);
  };
  return walk(value) as JsonSchema;
}

function patchDefinitions(definitions: Record<string, JsonSchema>): void {
  for (const [name, definition] of Object.entries(definitions)) {
    if (FLOAT_DEFINITIONS.has(name)) continue;
    definitions[name] = mapSchema(definition, (node) => {
      if (node['type'] === 'number') return { ...node, type: 'integer' };
      if (Array.isArray(node['type']) && node['type'].includes('number')) {
        return { ...node, type: node['type'].map((t: unknown) => (t === 'number' ? 'integer' : t)) };
      }
      return node;
    });
  }

  // Kubernetes accepts plain numbers for quantities (`cpu: 1`); `pattern` only applies to the string form.
  replaceDefinition(definitions, 'api.resource.Quantity', {
    type: ['number', 'string'],
    pattern: QUANTITY.pattern,
  });
  replaceDefinition(definitions, 'meta.v1.Time', stringSchema(RFC3339_TIME));
  replaceDefinition(definitions, 'meta.v1.MicroTime', stringSchema(RFC3339_TIME));
  for (const [name, schema] of Object.entries(FREE_FORM_DEFINITIONS))
    replaceDefinition(definitions, name, schema);

  const labelMap = {
    type: 'object',
    propertyNames: stringSchema(QUALIFIED_NAME),
    additionalProperties: stringSchema(LABEL_VALUE),
  };
  for (const [definition, property] of LABEL_MAPS) patchProperty(definitions, definition, property, labelMap);
  patchProperty(definitions, 'meta.v1.ObjectMeta', 'annotations', {
    type: 'object',
    propertyNames: stringSchema(QUALIFIED_NAME),
    additionalProperties: { type: 'string' },
  });
  patchProperty(definitions, 'meta.v1.ObjectMeta', 'namespace', stringSchema(DNS1123_LABEL));
  addProperties(definitions, 'apiextensions.v1.JSONSchemaProps', KUBERNETES_SCHEMA_EXTENSIONS);
  for (const [definition, property, values] of ENUMS) {
    patchProperty(definitions, definition, property, { type: 'string', enum: [...values] });
  }
  for (const [definition, property, values] of ENUM_ITEMS) {
    patchProperty(definitions, definition, property, {
      type: 'array',
      items: { type: 'string', enum: [...values] },
    });
  }

  // status is written by controllers, never by us.
  for (const definition of Object.values(definitions)) {
    const required = definition['required'];
    if (isKindDefinition(definition) && Array.isArray(required) && required.includes('status')) {
      definition['required'] = required.filter((field) => field !== 'status');
    }
  }
}

function replaceDefinition(definitions: Record<string, JsonSchema>, name: string, schema: JsonSchema): void {
  // Failing loudly makes a kubernetes-types upgrade that renames a type visible instead of silently unpatched.
  if (definitions[name] === undefined) throw new Error(`kubernetes-types no longer has ${name}`);
  definitions[name] = schema;
}

function patchProperty(
  definitions: Record<string, JsonSchema>,
  name: string,
  property: string,
  schema: JsonSchema,
): void {
  const properties = definitions[name]?.['properties'] as Record<string, unknown> | undefined;
  if (properties?.[property] === undefined)
    throw new Error(`kubernetes-types no longer has ${name}.${property}`);
  properties[property] = schema;
}

function addProperties(
  definitions: Record<string, JsonSchema>,
  name: string,
  added: Readonly<Record<string, JsonSchema>>,
): void {
  const properties = definitions[name]?.['properties'] as Record<string, unknown> | undefined;
  if (properties === undefined) throw new Error(`kubernetes-types no longer has ${name}`);
  for (const [property, schema] of Object.entries(added)) properties[property] ??= schema;
}

function constOf(definition: JsonSchema, property: string): string | undefined {
  const properties = definition['properties'] as Record<string, JsonSchema> | undefined;
  const value = properties?.[property]?.['const'];
  return typeof value === 'string' ? value : undefined;
}

function isKindDefinition(definition: JsonSchema): boolean {
  return constOf(definition, 'apiVersion') !== undefined && constOf(definition, 'kind') !== undefined;
}

function indexKinds(
  definitions: Readonly<Record<string, JsonSchema>>,
): Record<string, Record<string, string>> {
  const kinds: Record<string, Record<string, string>> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const apiVersion = constOf(definition, 'apiVersion');
    const kind = constOf(definition, 'kind');
    if (apiVersion === undefined || kind === undefined) continue;
    const byKind = (kinds[apiVersion] ??= {});
    if (byKind[kind] !== undefined) throw new Error(`${apiVersion} ${kind} is declared twice`);
    byKind[kind] = name;
  }
  return kinds;
}

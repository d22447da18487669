import type * as pulumi from '@pulumi/pulumi';
import { runtime } from '@pulumi/pulumi';
import { mockCall, mockOutputs } from './mock-outputs';
import { SECRET_PLACEHOLDER } from './stack-file';

/** One resource the program registered, as the plan reports it. */
export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  /** Name of the parent resource, when it has one. */
  readonly parent?: string;
  /** Names of the resources it waits for (dependsOn), sorted. */
  readonly dependsOn?: readonly string[];
  /** Input paths Pulumi leaves alone after creation (ignoreChanges). */
  readonly ignoreChanges?: readonly string[];
  readonly custom: boolean;
  /** Name of its provider resource, when one was set or inherited (which cluster a Kubernetes object is for). */
  readonly provider?: string;
  /** Inputs as the program passed them; values Pulumi marks secret are replaced by "[secret]". */
  readonly inputs: Record<string, unknown>;
}

const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
const OUTPUT_SIG = 'd0e6a833031e9bbcd3f4e8bde6ca49a4';

type Path = readonly (string | number)[];

/** Paths of the values that arrive wrapped as secrets in the wire form of a resource's inputs. */
function secretPaths(value: unknown, path: Path = [], found: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => secretPaths(item, [...path, i], found));
  } else if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG || (obj[SIG_KEY] === OUTPUT_SIG && obj.secret === true)) {
      found.push(path);
    } else {
      for (const [key, child] of Object.entries(obj)) secretPaths(child, [...path, key], found);
    }
  }
  return found;
}

function redactAt(target: Record<string, unknown>, path: Path): void {
  if (path.length === 0) return;
  let cur: unknown = target;
  for (const key of path.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  const last = path[path.length - 1];
  if (cur !== null && typeof cur === 'object' && last !== undefined && last in cur) {
    (cur as Record<string | number, unknown>)[last] = SECRET_PLACEHOLDER;
  }
}

/** Kubernetes Secret data never appears in the plan, whatever marked it. */
function redactKubernetesSecret(type: string, inputs: Record<string, unknown>): void {
  if (type !== 'kubernetes:core/v1:Secret') return;
  for (const field of ['data', 'stringData']) {
    let data = inputs[field];
    // A field that was one secret Output arrives in its wire form: keep its keys, drop its values.
    if (data !== null && typeof data === 'object' && SIG_KEY in data) {
      data = (data as { value?: unknown }).value ?? {};
      inputs[field] = data;
    }
    if (data !== null && typeof data === 'object') {
      for (const key of Object.keys(data)) (data as Record<string, unknown>)[key] = SECRET_PLACEHOLDER;
    }
  }
}

function nameFromUrn(urn: string): string {
  return urn.slice(urn.lastIndexOf('::') + 2);
}

/** A provider reference is `<urn>::<id>`: the name is the URN's last part. */
function providerName(reference: string): string {
  const urn = reference.slice(0, reference.lastIndexOf('::'));
  return nameFromUrn(urn);
}

/**
 * Pulumi mocks that record every registered resource. Outputs echo the inputs (plus an id), so the
 * program's `apply` chains run as they would in a preview, with plausible computed outputs (ARNs, OIDC
 * issuer) added. Calls (provider functions) answer from mockCall, else empty: a mock that throws would
 * hang the program.
 */
export class PlanRecorder implements pulumi.runtime.Mocks {
  readonly resources: PlannedResource[] = [];
  readonly calls: string[] = [];
  private readonly pending = new Map<
    string,
    { parent?: string; dependsOn: string[]; ignoreChanges: string[]; secret: Path[] }
  >();

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const key = `${args.type}::${args.name}`;
    const wire = this.pending.get(key);
    this.pending.delete(key);
    const inputs = structuredClone(args.inputs ?? {}) as Record<string, unknown>;
    // The Kubernetes SDK marks a Secret's whole data/stringData secret; those are redacted key by key below,
    // so the plan keeps their shape (and the schema check sees an object).
    const perKey = args.type === 'kubernetes:core/v1:Secret';
    for (const path of wire?.secret ?? []) {
      if (perKey && path.length === 1 && (path[0] === 'data' || path[0] === 'stringData')) continue;
      redactAt(inputs, path);
    }
    redactKubernetesSecret(args.type, inputs);
    this.resources.push({
      type: args.type,
      name: args.name,
      ...(wire?.parent !== undefined && { parent: wire.parent }),
      ...(wire !== undefined && wire.dependsOn.length > 0 && { dependsOn: wire.dependsOn }),
      ...(wire !== undefined && wire.ignoreChanges.length > 0 && { ignoreChanges: wire.ignoreChanges }),
      custom: args.custom ?? false,
      ...(args.provider !== undefined && args.provider !== '' && { provider: providerName(args.provider) }),
      inputs,
    });
    return {
      id: args.custom ? `${args.name}-id` : undefined,
      state: { ...mockOutputs(args.type, args.name, args.inputs ?? {}), ...args.inputs },
    };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    this.calls.push(args.token);
    return mockCall(args.token, (args.inputs ?? {}) as Record<string, unknown>);
  }

  /**
   * The mock API hands newResource deserialised inputs in which secrets are already unwrapped. Taking over the
   * monitor's registerResource lets the recorder see the wire form first, so it knows which values to redact
   * and the parent.
   *
   * It also registers more cheaply than Pulumi's MockMonitor, which converts every resource's inputs from
   * protobuf twice and its outputs to protobuf and back (a third of the plan's time at 2,000 objects): the
   * request's inputs are converted once, and the answer carries the outputs as plain values, in the form
   * Pulumi's own engine-less test mode answers with. A monitor of another shape (another Pulumi version) is
   * only wrapped.
   */
  attach(monitor: unknown): void {
    const m = monitor as MockMonitorShape;
    const original = m.registerResource.bind(m);
    const lean =
      m.resources instanceof Map && m.transformCallbacks instanceof Map && typeof m.newUrn === 'function';
    m.registerResource = (req, cb) => {
      const object = req.getObject()?.toJavaScript() ?? {};
      const parentUrn = req.getParent();
      this.pending.set(`${req.getType()}::${req.getName()}`, {
        ...(parentUrn ? { parent: nameFromUrn(parentUrn) } : {}),
        dependsOn: [...new Set((req.getDependenciesList?.() ?? []).map(nameFromUrn))].sort(),
        ignoreChanges: req.getIgnorechangesList?.() ?? [],
        secret: secretPaths(object),
      });
      if (!lean) return original(req, cb);
      return this.register(m, req, object).then(
        (response) => cb(null, response),
        (err: unknown) => cb(err, undefined),
      );
    };
  }

  /** What MockMonitor.registerResource does, without the protobuf round trips. */
  private async register(m: MockMonitorShape, req: WireRequest, object: unknown): Promise<LeanResponse> {
    const transforms = (req.getTransformsList?.() ?? [])
      .map((callback) => m.transformCallbacks?.get(callback.getToken()))
      .filter((transform) => transform !== undefined);
    const result = this.newResource({
      type: req.getType(),
      name: req.getName(),
      inputs: runtime.deserializeProperties(plainStruct(object)),
      provider: req.getProvider?.() ?? '',
      custom: req.getCustom?.() ?? false,
      id: req.getImportid?.() ?? '',
      ...(transforms.length > 0 && { transforms }),
    } as pulumi.runtime.MockResourceArgs);
    const urn = m.newUrn?.(req.getParent(), req.getType(), req.getName()) ?? '';
    const state = await runtime.serializeProperties('', result.state);
    m.resources?.set(urn, { urn, id: result.id ?? null, state });
    return {
      getUrn: () => urn,
      getId: () => result.id ?? '',
      // serializeProperties builds a fresh tree of JSON values: what the protobuf round trip would give back.
      getObject: () => plainStruct(state),
      getPropertydependenciesMap: () => undefined,
      getResult: () => 0, // SUCCESS
      getUnknown: () => false,
    };
  }
}

/** Stands in for a protobuf Struct where Pulumi only calls toJavaScript() on it. */
function plainStruct(value: unknown): Parameters<typeof runtime.deserializeProperties>[0] {
  return { toJavaScript: () => value } as unknown as Parameters<typeof runtime.deserializeProperties>[0];
}

interface WireRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList?(): string[];
  getIgnorechangesList?(): string[];
  getObject(): { toJavaScript(): unknown } | undefined;
  getTransformsList?(): { getToken(): string }[];
  getProvider?(): string;
  getCustom?(): boolean;
  getImportid?(): string;
}

interface LeanResponse {
  getUrn(): string;
  getId(): string;
  getObject(): unknown;
  getPropertydependenciesMap(): undefined;
  getResult(): number;
  getUnknown(): boolean;
}

/** The parts of Pulumi's MockMonitor (runtime/mocks.js) that registration uses. */
interface MockMonitorShape {
  registerResource(req: WireRequest, cb: (err: unknown, res: unknown) => void): Promise<void>;
  resources?: Map<string, { urn: string; id: string | null; state: unknown }>;
  transformCallbacks?: Map<string, unknown>;
  newUrn?(parent: string, type: string, name: string): string;
}

/**
 * Pulumi's mock engine, recording every resource a test declares: the plan's mock outputs (tools/plan/
 * mock-outputs.ts) for state and calls, so components see the ids, ARNs and lookups they would in the plan.
 * One per test file (setMocks is process-wide): call it at module level, before declaring anything.
 */
import * as pulumi from '@pulumi/pulumi';
import { mockCall, mockOutputs } from '../../tools/plan/mock-outputs';

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
  /** The provider reference (`<urn>::<id>`) the resource was registered with, if any. */
  readonly provider?: string;
  /** URNs of its dependencies (`dependsOn` and those of its inputs), as registered. */
  readonly dependencies: readonly string[];
  /** Whether it was registered with `protect: true`. */
  readonly protect: boolean;
}

interface WireRequest {
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
  getProtect(): boolean;
}

export interface RecordingMocks {
  readonly recorded: RecordedResource[];
  /** Resolves once the mocks are installed. */
  readonly ready: Promise<void>;
  /** Waits until no resource has been registered for five ticks of 20 ms: the declared graph has settled. */
  settle(): Promise<void>;
}

export function recordingMocks(): RecordingMocks {
  const recorded: RecordedResource[] = [];
  const wire = new Map<string, { dependencies: string[]; protect: boolean }>();
  const installed = pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        recorded.push({
          type: args.type,
          name: args.name,
          custom: args.custom ?? false,
          inputs,
          ...(args.provider !== undefined && { provider: args.provider }),
          dependencies: wire.get(`${args.type}::${args.name}`)?.dependencies ?? [],
          protect: wire.get(`${args.type}::${args.name}`)?.protect ?? false,
        });
        return {
          id: args.custom ? `${args.name}-id` : undefined,
          state: { ...mockOutputs(args.type, args.name, inputs), ...inputs },
        };
      },
      call(args) {
        return mockCall(args.token, (args.inputs ?? {}) as Record<string, unknown>);
      },
    },
    'platform',
    'test',
    true,
  );
  // The mock API passes neither dependencies nor protect to newResource: read them off the wire request.
  const ready = installed.then(() => {
    const monitor = pulumi.runtime.getMonitor() as unknown as {
      registerResource(req: WireRequest, cb: (err: unknown, res: unknown) => void): unknown;
    };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
      wire.set(`${req.getType()}::${req.getName()}`, {
        dependencies: req.getDependenciesList(),
        protect: req.getProtect(),
      });
      return original(req, cb);
    };
  });
  const settle = async (): Promise<void> => {
    let last = -1;
    let quiet = 0;
    while (quiet < 5) {
      await new Promise((r) => setTimeout(r, 20));
      if (recorded.length === last) quiet++;
      else {
        quiet = 0;
        last = recorded.length;
      }
    }
  };
  return { recorded, ready, settle };
}

/** The name of the provider a resource was registered with (the last segment of its URN). */
export function providerName(r: RecordedResource): string | undefined {
  if (r.provider === undefined) return undefined;
  const urn = r.provider.split('::').slice(0, -1).join('::');
  return urn.slice(urn.lastIndexOf('::') + 2);
}

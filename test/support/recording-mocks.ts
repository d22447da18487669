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
  const ready = pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        recorded.push({
          type: args.type,
          name: args.name,
          custom: args.custom ?? false,
          inputs,
          ...(args.provider !== undefined && { provider: args.provider }),
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

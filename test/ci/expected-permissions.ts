// The exact token permissions of every job, "<workflow file>:<job id>". A job that asks for more (or less) than
// listed here fails test/ci/workflows.test.ts, so widening one is a reviewed change of this table.
export type PermissionSet = Readonly<Record<string, 'read' | 'write'>>;

export const EXPECTED_PERMISSIONS: Readonly<Record<string, PermissionSet>> = {
  // Runs the pull request's code: read only.
  'pull-request.yml:test': { contents: 'read' },
  'pull-request.yml:plan-diff': { contents: 'read' },
  // Posts the plan diff; checks nothing out.
  'pull-request.yml:comment': { 'pull-requests': 'write' },
  // The Pulumi action's PR comment; OIDC only where AWS is reached.
  'pull-request.yml:preview-onprem': { contents: 'read', 'pull-requests': 'write' },
  'pull-request.yml:preview-eks': { contents: 'read', 'id-token': 'write', 'pull-requests': 'write' },
  'service-images.yml:changes': { contents: 'read' },
  // The registry is written with its own credentials, not the token.
  'service-images.yml:build': { contents: 'read' },
  // The release branch and its pull request.
  'service-images.yml:release-dev': { contents: 'write', 'pull-requests': 'write' },
  'deploy.yml:dev': { contents: 'read' },
  'deploy.yml:qat': { contents: 'read' },
  'deploy.yml:uat': { contents: 'read', 'id-token': 'write' },
  'deploy.yml:prod': { contents: 'read', 'id-token': 'write' },
};

/** The deploy order; each stage after the first needs the one before. */
export const DEPLOY_STAGES = ['dev', 'qat', 'uat', 'prod'] as const;

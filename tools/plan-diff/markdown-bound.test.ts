/** The Markdown comment stays within --max-chars and, when cut, says so and where the full report is. */
import { diffEnvironment, formatMarkdown } from '.';
import { basePlan, edit } from './plan.fixture';

const base = basePlan();
// A large change: 300 env variables added to one container.
const env = Array.from({ length: 300 }, (_, i) => ({
  name: `VAR_${String(i).padStart(3, '0')}`,
  value: 'x'.repeat(40),
}));
const head = edit(
  base,
  'dev-deployment-apps/order',
  ['spec', 'template', 'spec', 'containers', 0, 'env'],
  env,
);
const envs = [diffEnvironment('dev', base, head), diffEnvironment('qat', base, base)];

describe('formatMarkdown bounds', () => {
  it('fits the whole report when it is short enough, without a cut note', () => {
    const md = formatMarkdown(envs);
    expect(md).not.toContain('Cut to');
    expect(md).toContain('VAR_299');
    expect(md).toContain('| qat | | | | no change |');
  });

  it('cuts at --max-chars, closes the open blocks and points to the artefact', () => {
    const md = formatMarkdown(envs, { maxChars: 3000 });
    expect(md.length).toBeLessThanOrEqual(3000);
    expect(md).toContain('| dev | 1 | 0 | 0 | – |');
    expect(md).not.toContain('VAR_299');
    expect(md).toMatch(
      /> :scissors: \*\*Cut to 3000 characters\*\*: \d+ more line\(s\) not shown; the full report is the `plan-diff` artefact of this run\.\n$/,
    );
    // The cut details block is still closed, so the rest of the page renders.
    expect(md.split('```').length % 2).toBe(1);
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
    const linked = formatMarkdown(envs, {
      maxChars: 3000,
      artifactUrl: 'https://ci.example/run/7/artifacts',
    });
    expect(linked).toContain('the full report: https://ci.example/run/7/artifacts.');
    expect(linked.length).toBeLessThanOrEqual(3000);
  });

  it('is deterministic', () => {
    expect(formatMarkdown(envs, { maxChars: 3000 })).toBe(formatMarkdown([...envs], { maxChars: 3000 }));
  });
});

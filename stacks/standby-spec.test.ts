import { standbyImage, standbyName } from './standby-spec';

const digest = '@sha256:' + 'a'.repeat(64);

describe('standbyImage', () => {
  it("moves an image of the primary region's ECR to the standby region's, same repository and digest", () => {
    expect(
      standbyImage(
        `444455556666.dkr.ecr.eu-west-1.amazonaws.com/platform/user${digest}`,
        'eu-west-1',
        'eu-central-1',
      ),
    ).toBe(`444455556666.dkr.ecr.eu-central-1.amazonaws.com/platform/user${digest}`);
  });

  it('leaves other registries and other regions alone (ECR replicates only the primary region here)', () => {
    for (const image of [
      `ghcr.io/argoproj-labs/plugin${digest}`,
      `444455556666.dkr.ecr.us-east-1.amazonaws.com/platform/user${digest}`,
      'redis:8.2.2-bookworm',
    ]) {
      expect(standbyImage(image, 'eu-west-1', 'eu-central-1')).toBe(image);
    }
  });
});

it('names the standby after the environment, so its cluster is platform-<env>-standby', () => {
  expect(standbyName('prod')).toBe('prod-standby');
});

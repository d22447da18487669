import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readServiceImage, setServiceImage, StackEditError } from './stack-image';

const root = join(__dirname, '..', '..');
const NEW = '444455556666.dkr.ecr.eu-west-1.amazonaws.com/platform/order@sha256:' + 'a'.repeat(64);

/** Lines that differ between two texts of the same line count. */
function changedLines(a: string, b: string): [string, string][] {
  const x = a.split('\n');
  const y = b.split('\n');
  expect(y).toHaveLength(x.length);
  return x.flatMap((line, i) => (line === y[i] ? [] : [[line, y[i] ?? '']]));
}

describe('setServiceImage', () => {
  it.each(['dev', 'qat', 'uat', 'prod'])(
    'changes only the image line of Pulumi.%s.yaml, comments and order kept byte for byte',
    (env) => {
      const text = readFileSync(join(root, `Pulumi.${env}.yaml`), 'utf8');
      const old = readServiceImage(text, 'f', 'order');
      const edited = setServiceImage(text, `Pulumi.${env}.yaml`, 'order', NEW);
      expect(changedLines(text, edited)).toEqual([[`      image: ${old}`, `      image: ${NEW}`]]);
      // Same data apart from that value, in the same key order.
      const before = parse(text) as { config: Record<string, any> };
      const after = parse(edited) as { config: Record<string, any> };
      expect(Object.keys(after.config)).toEqual(Object.keys(before.config));
      before.config['platform:services'].order.image = NEW;
      expect(after).toEqual(before);
    },
  );

  it('keeps flow sequences as written (yaml toString() would pad them)', () => {
    const text = readFileSync(join(root, 'Pulumi.prod.yaml'), 'utf8');
    expect(text).toContain('instanceTypes: [m6i.2xlarge]');
    expect(setServiceImage(text, 'Pulumi.prod.yaml', 'order', NEW)).toContain('instanceTypes: [m6i.2xlarge]');
  });

  it('keeps a quoted value quoted and a trailing comment in place', () => {
    const text = "config:\n  platform:services:\n    order:\n      image: 'r.io/platform/order:1' # pinned\n";
    expect(setServiceImage(text, 'f', 'order', 'r.io/platform/order:2')).toBe(
      "config:\n  platform:services:\n    order:\n      image: 'r.io/platform/order:2' # pinned\n",
    );
  });

  it('refuses a service the file does not declare, naming the declared ones and how to add it', () => {
    const text = 'config:\n  platform:services:\n    user:\n      image: r.io/platform/user:1\n';
    expect(() => setServiceImage(text, 'Pulumi.dev.yaml', 'order', 'r.io/platform/order:1')).toThrow(
      new StackEditError(
        'service "order" is not declared in Pulumi.dev.yaml (declared: user); add it under "config" -> ' +
          '"platform:services" in Pulumi.dev.yaml, e.g.\n  platform:services:\n    order:\n      image: r.io/platform/order:1',
      ),
    );
    expect(() => setServiceImage('config:\n  platform:tier: onprem\n', 'f', 'order', 'x')).toThrow(
      /^f declares no "platform:services"; add it under/,
    );
  });

  it('refuses a file that is not YAML', () => {
    expect(() => setServiceImage('config: [\n', 'Pulumi.dev.yaml', 'order', 'x')).toThrow(
      /^Pulumi.dev.yaml is not valid YAML: /,
    );
  });
});

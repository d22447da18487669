import { contains, overlaps, parseCidr, subnet } from './cidr';

const c = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad cidr ${text}`);
  return parsed;
};

describe('CIDR arithmetic', () => {
  it('parses valid blocks and refuses malformed ones or set host bits', () => {
    expect(c('10.20.0.0/16')).toEqual({ text: '10.20.0.0/16', start: 0x0a140000, prefix: 16 });
    expect(parseCidr('10.20.0.1/16')).toBeUndefined();
    expect(parseCidr('10.300.0.0/16')).toBeUndefined();
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.0')).toBeUndefined();
  });

  it('detects overlap and containment', () => {
    expect(overlaps(c('10.0.0.0/16'), c('10.0.128.0/20'))).toBe(true);
    expect(overlaps(c('10.0.0.0/16'), c('10.1.0.0/16'))).toBe(false);
    expect(overlaps(c('0.0.0.0/0'), c('192.168.1.0/24'))).toBe(true);
    expect(contains(c('10.0.0.0/16'), c('10.0.16.0/20'))).toBe(true);
    expect(contains(c('10.0.16.0/20'), c('10.0.0.0/16'))).toBe(false);
  });

  it('splits a block into numbered sub-blocks', () => {
    expect(subnet(c('10.20.0.0/16'), 20, 0)).toBe('10.20.0.0/20');
    expect(subnet(c('10.20.0.0/16'), 20, 9)).toBe('10.20.144.0/20');
    expect(() => subnet(c('10.20.0.0/16'), 20, 16)).toThrow('10.20.0.0/16 has 16 /20 blocks (asked for #16)');
  });
});

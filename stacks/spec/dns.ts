import { show, type ConfigProblem } from './config-error';
import { CONFIG_NAMESPACE } from './config-namespace';
import type { RawConfig, Tier } from './schema';
import type { DnsSpec } from './types';

const P = `${CONFIG_NAMESPACE}:`;

/** Whether a hostname (wildcards included: `*.uat.example.com`) is `domain` itself or a name under it. */
export function isInsideDomain(hostname: string, domain: string): boolean {
  const name = hostname.startsWith('*.') ? hostname.slice(2) : hostname;
  return name === domain || name.endsWith(`.${domain}`);
}

/**
 * `platform:dns`, resolved: EKS only (ExternalDNS writes to Route 53 through an IRSA role), and every gateway
 * hostname inside `dns.domain`, since ExternalDNS publishes nothing outside its domain filter and a hostname
 * left out would silently get no record. `hostnamesGiven` says whether the hostnames come from the stack file
 * (each is then named by its index) or are the default.
 */
export function resolveDns(
  tier: Tier,
  dns: RawConfig['dns'],
  hostnames: readonly string[],
  hostnamesGiven: boolean,
  problems: ConfigProblem[],
): DnsSpec | undefined {
  if (dns === undefined) return undefined;
  if (tier === 'onprem') {
    problems.push({
      path: `${P}dns`,
      message:
        'is only for EKS stacks: ExternalDNS writes the records to Route 53 with an IRSA role, which only EKS ' +
        'stacks have; on prem, create the DNS record for the gateway by hand (README, "North-south routes")',
    });
    return undefined;
  }
  hostnames.forEach((hostname, i) => {
    if (isInsideDomain(hostname, dns.domain)) return;
    problems.push({
      path: hostnamesGiven ? `${P}gateway.hostnames[${i}]` : `${P}gateway.hostnames`,
      message:
        `must lie inside ${P}dns.domain ${show(dns.domain)}, or ExternalDNS never publishes it ` +
        `(got ${show(hostname)}${hostnamesGiven ? '' : ', the default: set the hostnames inside the domain'})`,
    });
  });
  return { hostedZoneId: dns.hostedZoneId, domain: dns.domain, private: dns.private ?? false };
}

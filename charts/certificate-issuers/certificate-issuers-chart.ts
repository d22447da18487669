import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { standardLabels } from '../lib';

export type IssuerProps =
  | { readonly kind: 'internal-ca' }
  | {
      readonly kind: 'acme';
      readonly email: string;
      readonly server: string;
      readonly hostedZoneId: string;
      readonly region: string;
    };

export interface CertificateIssuersProps {
  /** Namespace where cert-manager runs (the CA's key pair lives there). */
  readonly certManagerNamespace: string;
  readonly issuer: IssuerProps;
  /**
   * Name of the ClusterIssuer that signs workload and gateway certificates.
   * @default 'platform'
   */
  readonly name?: string;
}

/**
 * The ClusterIssuer everything else uses, under one name on every cluster. internal-ca: a self-signed root
 * made once by cert-manager, then a CA issuer over it. acme: an ACME account with DNS-01 on Route 53.
 */
export class CertificateIssuersChart extends Chart {
  constructor(scope: Construct, id: string, props: CertificateIssuersProps) {
    super(scope, id);
    const name = props.name ?? 'platform';
    const labels = standardLabels('certificate-issuers', 'platform', { component: 'pki' });
    const issuer = props.issuer;

    if (issuer.kind === 'internal-ca') {
      const rootSecret = `${name}-root-ca`;
      new ApiObject(this, 'bootstrap', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: { name: `${name}-selfsigned-bootstrap`, labels },
        spec: { selfSigned: {} },
      });
      new ApiObject(this, 'root-ca', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: rootSecret, namespace: props.certManagerNamespace, labels },
        spec: {
          isCA: true,
          commonName: `${name} internal root CA`,
          secretName: rootSecret,
          duration: '87600h',
          privateKey: { algorithm: 'ECDSA', size: 384 },
          issuerRef: {
            kind: 'ClusterIssuer',
            name: `${name}-selfsigned-bootstrap`,
            group: 'cert-manager.io',
          },
        },
      });
      new ApiObject(this, 'issuer', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: { name, labels },
        spec: { ca: { secretName: rootSecret } },
      });
      return;
    }

    new ApiObject(this, 'issuer', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name, labels },
      spec: {
        acme: {
          email: issuer.email,
          server: issuer.server,
          privateKeySecretRef: { name: `${name}-acme-account` },
          solvers: [{ dns01: { route53: { region: issuer.region, hostedZoneID: issuer.hostedZoneId } } }],
        },
      },
    });
  }
}

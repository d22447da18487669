export * from './certificate-issuers-chart';

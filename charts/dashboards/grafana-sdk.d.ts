// The repo resolves modules as node10, which ignores package.json "exports", and the SDK ships its types only
// under dist/<package>. These declarations give the subpaths Node resolves at runtime (through "exports")
// the types TypeScript cannot find on its own.
declare module '@grafana/grafana-foundation-sdk/cog' {
  export * from '@grafana/grafana-foundation-sdk/dist/cog';
}
declare module '@grafana/grafana-foundation-sdk/common' {
  export * from '@grafana/grafana-foundation-sdk/dist/common';
}
declare module '@grafana/grafana-foundation-sdk/dashboard' {
  export * from '@grafana/grafana-foundation-sdk/dist/dashboard';
}
declare module '@grafana/grafana-foundation-sdk/prometheus' {
  export * from '@grafana/grafana-foundation-sdk/dist/prometheus';
}
declare module '@grafana/grafana-foundation-sdk/timeseries' {
  export * from '@grafana/grafana-foundation-sdk/dist/timeseries';
}
declare module '@grafana/grafana-foundation-sdk/stat' {
  export * from '@grafana/grafana-foundation-sdk/dist/stat';
}
declare module '@grafana/grafana-foundation-sdk/gauge' {
  export * from '@grafana/grafana-foundation-sdk/dist/gauge';
}
declare module '@grafana/grafana-foundation-sdk/table' {
  export * from '@grafana/grafana-foundation-sdk/dist/table';
}

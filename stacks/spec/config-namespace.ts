/** The Pulumi config namespace of this project: keys are written `platform:<key>` in the stack files. */
export const CONFIG_NAMESPACE = 'platform';

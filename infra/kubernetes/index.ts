export * from './apply-objects';

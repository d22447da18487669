export * from './cidr';
export { REPOSITORY_PREFIX } from './image-repository';

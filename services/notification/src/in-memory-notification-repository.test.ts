import { InMemoryNotificationRepository } from './in-memory-notification-repository';
import { describeNotificationRepositoryContract } from './notification-repository.contract';

describeNotificationRepositoryContract(
  'InMemoryNotificationRepository',
  async (outbox) => new InMemoryNotificationRepository(outbox),
);

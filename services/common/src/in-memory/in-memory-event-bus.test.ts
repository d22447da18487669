import { describeEventBusContract } from '../contracts/event-bus.contract';
import { InMemoryEventBus } from './in-memory-event-bus';

describeEventBusContract('InMemoryEventBus', async () => {
  const bus = new InMemoryEventBus();
  let topics = 0;
  return {
    publisher: bus,
    topic: (name) => Promise.resolve(`${name}-${++topics}`),
    consume: (topicList, handler, options) => Promise.resolve(bus.subscribe(topicList, handler, options)),
    deadLetters: (topic) => Promise.resolve(bus.events(topic)),
    timeoutMs: 2000,
    close: () => bus.settle(),
  };
});

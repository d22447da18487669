import { redisReadiness } from './redis-readiness';

describe('redisReadiness', () => {
  it('fails at once, naming the status, while the client is not connected', async () => {
    const ping = jest.fn(() => Promise.resolve('PONG'));
    const check = redisReadiness({ status: 'reconnecting', ping });
    await expect(check(new AbortController().signal)).rejects.toThrow(
      'redis is not connected (status reconnecting)',
    );
    expect(ping).not.toHaveBeenCalled();
  });

  it('pings a connected client', async () => {
    const ping = jest.fn(() => Promise.resolve('PONG'));
    await redisReadiness({ status: 'ready', ping })(new AbortController().signal);
    expect(ping).toHaveBeenCalledTimes(1);
  });

  it('rejects with the probe reason when the signal aborts before the answer', async () => {
    const check = redisReadiness({ status: 'ready', ping: () => new Promise<'PONG'>(() => undefined) });
    const controller = new AbortController();
    const outcome = check(controller.signal);
    controller.abort(new Error('readiness check timed out after 2000ms'));
    await expect(outcome).rejects.toThrow('readiness check timed out after 2000ms');
  });
});

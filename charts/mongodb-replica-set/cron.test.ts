import { cronProblem } from './cron';

describe('cronProblem', () => {
  it.each([
    '0 3 * * *',
    '0 2 * * 0',
    '*/15 0-6 1,15 JAN-jun MON-FRI',
    '30 1 ? * SUN',
    '5/10 * * * *',
    ' 0  3 * * 6 ',
  ])('accepts %j', (expression) => {
    expect(cronProblem(expression)).toBeUndefined();
  });

  it.each([
    ['', 'must have 5 fields (minute hour day-of-month month day-of-week), found 0'],
    ['0 3 * * * *', 'must have 5 fields (minute hour day-of-month month day-of-week), found 6'],
    ['60 3 * * *', 'minute field "60": "60" is not within 0-59'],
    ['0 3 0 * *', 'day of month field "0": "0" is not within 1-31'],
    ['0 3 * 13 *', 'month field "13": "13" is not within 1-12'],
    ['0 3 * * 7', 'day of week field "7": "7" is not within 0-6'],
    ['0 3 * * MOON', 'day of week field "MOON": "MOON" is not within 0-6'],
    ['0 3 * * 5-1', 'day of week field "5-1": range "5-1" runs backwards'],
    ['*/0 3 * * *', 'minute field "*/0": step "0" must be at least 1'],
    ['? 3 * * *', 'minute field "?": "?" is allowed in the day fields only'],
    ['0 3 *-2 * *', 'day of month field "*-2": "*-2" is not a value, range or step'],
    ['0 3,, * * *', 'hour field "3,,": "" is not a value, range or step'],
  ])('refuses %j', (expression, problem) => {
    expect(cronProblem(expression)).toBe(problem);
  });
});

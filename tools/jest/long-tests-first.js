// Starts the suites that mostly wait (a real Prometheus evaluating alerts with their real `for:` durations)
// first, so they wait while the other worker runs everything else; on a fresh clone jest has no timings yet
// and would otherwise schedule them by file size, often last.
const Sequencer = require('@jest/test-sequencer').default;

const LONG = [/test\/monitoring\/prometheus-e2e\.test\.ts$/, /promtool-alerts\.test\.ts$/];
const rank = (path) => {
  const i = LONG.findIndex((re) => re.test(path));
  return i === -1 ? LONG.length : i;
};

class LongTestsFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    return [...sorted].sort((a, b) => rank(a.path) - rank(b.path));
  }
}

module.exports = LongTestsFirst;

/**
 * rollout-status on a real offline plan: the fixture project's dev stack runs order as a canary, product
 * as a blue-green and the other services rolling (test/fixtures/release-project). One plan run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCompiled } from '../../test/support/ensure-compiled';
import { runPlan, type PlanRun } from '../release';
import { explainService } from './explain-service';
import { planObjects, type PlanObject } from './plan-objects';

const fixture = join(__dirname, '..', '..', 'test', 'fixtures', 'release-project');
const out = mkdtempSync(join(tmpdir(), 'rollout-status-plan-'));
let run: PlanRun;
let objects: PlanObject[];

beforeAll(async () => {
  ensureCompiled();
  run = await runPlan(fixture, 'dev', out);
  objects = planObjects(run.resources ?? []);
}, 180_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const explain = (service: string) => {
  expect(run.resources === undefined ? run.output : 'planned').toBe('planned');
  return explainService(objects, 'dev', service).join('\n');
};

it('explains the canary from the plan: steps and pauses from the stack file, route, SLO analysis on the canary track', () => {
  const text = explain('order');
  expect(text).toContain('order: canary (Argo Rollouts Rollout apps/order)');
  expect(text).toContain('  services   stable: order   canary: order-canary');
  expect(text).toMatch(/order: \/api\/orders -> order \(weight 100\), order-canary \(weight 0\)/);
  expect(text).toMatch(/send 20 % of the traffic to the canary\n.*pause 2m\n.*send 60 % of the traffic/);
  expect(text).toContain('background: order-slo with track=canary');
  expect(text).toContain('AnalysisTemplate apps/order-slo (args: track=canary)');
  // The queries the controller will run, with the arg substituted and nothing left unresolved.
  expect(text).toMatch(/query {6}.*http_requests_total\{[^}]*service="order"[^}]*track="canary"/);
  expect(text).toMatch(/success {4}\S/);
  expect(text).toMatch(/limits {5}failureLimit \d+, inconclusiveLimit \d+/);
  expect(text).not.toContain('{{');
  expect(text).not.toContain('NOT IN THE PLAN');
});

it('explains the blue-green: manual promotion, scale-down delay, smoke before and SLO after promotion', () => {
  const text = explain('product');
  expect(text).toContain('product: blue-green (Argo Rollouts Rollout apps/product)');
  expect(text).toContain('  services   active: product   preview: product-preview');
  expect(text).toContain(
    '  promotion  manual (autoPromotionEnabled false): kubectl argo rollouts promote product -n apps',
  );
  expect(text).toContain('  old pods   kept 600 s after the switch (scaleDownDelaySeconds)');
  expect(text).toContain('pre-promotion analysis:\nAnalysisTemplate apps/product-smoke');
  expect(text).toMatch(/post-promotion analysis:\nAnalysisTemplate apps\/product-slo \(args: track=stable\)/);
  expect(text).toMatch(/provider {3}web GET http:\/\/product-preview/);
  expect(text).not.toContain('{{');
  expect(text).not.toContain('NOT IN THE PLAN');
});

it('explains a rolling service as a Deployment without analysis', () => {
  const text = explain('user');
  expect(text).toContain('user: rolling update (Deployment apps/user, no Argo Rollout)');
  expect(text).toContain('  analysis   none');
});

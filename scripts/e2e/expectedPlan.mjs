// What the planner itself says for a set of form values, so the browser test checks the form
// against the planner instead of against numbers copied from an earlier run.
import { execFileSync } from 'node:child_process';
import { repoRoot } from './stack.mjs';

const SCRIPT = `
const { planServingForm, servingFormPlanSummary } = require('./plugins/mlops-common/src/planner');
const plan = planServingForm(JSON.parse(process.argv[1]));
const fmt = n => Math.round(n).toLocaleString('en-US');
const out = { status: plan.status, verdict: plan.verdict, problems: plan.problems ?? [] };
if (plan.status === 'planned' && plan.memory) {
  const { low, high } = plan.memory.estimates;
  out.kvTokens = fmt(low.tokens) + '\\u2013' + fmt(high.tokens);
  out.concurrency = low.maxConcurrency.toFixed(2) + '\\u2013' + high.maxConcurrency.toFixed(2);
  out.maxNumSeqs = String(plan.maxNumSeqs);
  out.lowTokens = low.tokens;
  out.summary = servingFormPlanSummary(plan);
}
console.log(JSON.stringify(out));
`;

/** `{ verdict, problems, kvTokens, concurrency, maxNumSeqs, lowTokens, summary }`, as the field shows them. */
export function expectedPlan(values) {
  const out = execFileSync(
    process.execPath,
    ['--require', 'sucrase/register/ts', '-e', SCRIPT, JSON.stringify(values)],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  return JSON.parse(out);
}

/** The defaults of every parameter of a template, as the form starts with them. */
export function templateDefaults(template) {
  const values = {};
  for (const page of template.spec.parameters) {
    for (const [key, prop] of Object.entries(page.properties ?? {})) {
      if (prop.default !== undefined) values[key] = prop.default;
    }
  }
  return values;
}

// Prints executed/total jobs and steps per shipped workflow template and the release composite, from the
// coverage the workflow runner recorded during the test run (test/runner/coverage.ts), and what never ran.
import { computeWorkflowCoverage, WORKFLOW_COVERAGE_VARIABLE } from '../test/runner/coverage.js';

const dir = process.argv[2] ?? process.env[WORKFLOW_COVERAGE_VARIABLE] ?? '.test-results/workflow-coverage';
const coverage = await computeWorkflowCoverage(dir);
console.log(`workflow coverage (jobs and steps executed by the runner's scenarios, from ${dir}):`);
for (const { file, executed, total, missing } of coverage) {
  console.log(`  ${file}: ${executed}/${total}${missing.length ? ` (never ran: ${missing.join(', ')})` : ''}`);
}

// Reads jest's --json report of the EventStoreDB contract run (.github/workflows/eventstoredb-contract.yml)
// and fails unless the suite really ran against the server: no failure, the contract cases
// executed, and nothing skipped except the tamper-evidence cases (an append-only server cannot
// be edited behind the store's back). Without this, a missing ESDB_CONNECTION_STRING would
// report every contract case as skipped and the job would still pass.
const { readFileSync } = require('node:fs');

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const cases = report.testResults.flatMap((file) => file.assertionResults);
const contract = cases.filter((c) => c.ancestorTitles.some((t) => t.startsWith('EventStore contract: eventstoredb')));
const skipped = contract.filter((c) => c.status === 'pending' || c.status === 'skipped');
const unexpected = skipped.filter((c) => !c.ancestorTitles.includes('tamper evidence'));
const ran = contract.filter((c) => c.status === 'passed');
const failed = cases.filter((c) => c.status === 'failed');

console.log(
  `contract cases: ${ran.length} passed, ${skipped.length} skipped (tamper evidence), ${failed.length} failed`,
);
for (const c of unexpected) console.log(`skipped unexpectedly: ${c.fullName}`);
for (const c of failed) console.log(`failed: ${c.fullName}`);
if (failed.length > 0 || unexpected.length > 0 || ran.length < 20) process.exit(1);

// The GraphQL-over-HTTP audit suite (npm `graphql-http`) against `ropa serve --demo` on a free
// port of 127.0.0.1: prints each audit that is not ok and the counts; exits with 1 on any error,
// and on any warning (a SHOULD not met) not explained in docs/operations.md ("GraphQL over
// HTTP"). Notices are MAYs the service does not take (GET requests), not failures.
//
//   node scripts/graphql-http-audit.mjs [--binary target/debug/ropa]
import { serverAudits } from 'graphql-http';

import { explainedWarnings, startRopa } from './ropa-server.mjs';

const binaryAt = process.argv.indexOf('--binary');
const binary = binaryAt > 0 ? process.argv[binaryAt + 1] : 'target/debug/ropa';

const server = await startRopa(binary);
let failed = false;
try {
  const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
  const explained = explainedWarnings();
  const unexplained = [];
  for (const audit of serverAudits({ url: `${server.url}/graphql` })) {
    const result = await audit.fn();
    counts[result.status] += 1;
    if (result.status === 'ok') continue;
    const note = result.status === 'warn' && explained.has(result.id) ? ' (explained in docs)' : '';
    console.log(`${result.status.toUpperCase()} ${result.id} ${result.name}: ${result.reason}${note}`);
    if (result.status === 'error') failed = true;
    if (result.status === 'warn' && !explained.has(result.id)) unexplained.push(result.id);
  }
  if (unexplained.length > 0) {
    console.log(`warnings not explained in docs/operations.md: ${unexplained.join(', ')}`);
    failed = true;
  }
  console.log(
    `graphql-http audit: ${counts.ok} ok, ${counts.notice} notices (MAYs not taken), ` +
      `${counts.warn} warnings, ${counts.error} errors`,
  );
  const passed = counts.ok + counts.notice + counts.warn - unexplained.length;
  console.log(`graphql-http-audit: ${passed} passed, ${counts.error + unexplained.length} failed`);
} finally {
  server.stop();
}
process.exit(failed ? 1 : 0);

import process from 'node:process';

/**
 * Prints one plain closing line, `jest: N passed, N failed, N skipped`, that CI
 * tooling reads whatever the test runner; Jest's own summary stays as it is.
 */
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    const skipped = numPendingTests + numTodoTests;
    process.stdout.write(
      `\njest: ${numPassedTests} passed, ${numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
    );
  }
}

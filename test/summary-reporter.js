import process from 'node:process';

/**
 * Prints one plain closing line, `jest: N passed, N failed, N skipped`, that CI
 * tooling reads whatever the test runner; Jest's own summary stays as it is.
 * A suite that fails to load or run (a syntax error, a throwing import, a
 * failing `beforeAll`) counts as failed too, with its tests: it is named, and
 * the line never says `0 failed` while a suite failed.
 */
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    const skipped = numPendingTests + numTodoTests;
    const broken = (results.testResults ?? []).filter(
      (suite) => suite.testExecError || (suite.failureMessage && suite.numFailingTests === 0),
    );
    const failed = numFailedTests + broken.length;
    const suites = broken.length
      ? ` (${broken.length} suite${broken.length === 1 ? '' : 's'} failed to run: ${broken
          .map((suite) => suite.testFilePath.replace(`${process.cwd()}/`, ''))
          .join(', ')})`
      : '';
    process.stdout.write(
      `\njest: ${numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${suites}\n`,
    );
  }
}

import { jest } from '@jest/globals';

type Reporter = { onRunComplete(contexts: unknown, results: unknown): void };

async function line(results: Record<string, unknown>): Promise<string> {
  const path = '../summary-reporter.js';
  const { default: SummaryReporter } = (await import(path)) as { default: new () => Reporter };
  const writes: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    new SummaryReporter().onRunComplete(new Set(), {
      numPassedTests: 0,
      numFailedTests: 0,
      numPendingTests: 0,
      numTodoTests: 0,
      testResults: [],
      ...results,
    });
  } finally {
    spy.mockRestore();
  }
  return writes.join('').trim();
}

describe('summary reporter', () => {
  it('prints passed, failed and skipped tests', async () => {
    expect(await line({ numPassedTests: 3, numFailedTests: 1, numPendingTests: 2 })).toBe(
      'jest: 3 passed, 1 failed, 2 skipped',
    );
  });

  it('counts a suite that failed to load as a failure, and names it', async () => {
    expect(
      await line({
        numPassedTests: 5,
        testResults: [
          { testFilePath: `${process.cwd()}/test/a.spec.ts`, numFailingTests: 0 },
          {
            testFilePath: `${process.cwd()}/test/broken.spec.ts`,
            numFailingTests: 0,
            testExecError: { message: 'Cannot find module' },
            failureMessage: 'Cannot find module',
          },
        ],
      }),
    ).toBe('jest: 5 passed, 1 failed (1 suite failed to run: test/broken.spec.ts)');
  });
});

// Prints one plain closing line ("tests: N passed, N failed, N skipped") that CI log readers
// recognise regardless of the test runner.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    // A skipped test carries its reason in its title: show them, not only their number.
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status === 'pending') process.stdout.write(`skipped: ${test.fullName}\n`);
      }
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(
      `tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`,
    );
  }
}

module.exports = SummaryReporter;

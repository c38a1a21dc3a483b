// Ends a jest run with one plain line, "N passed, N failed", that any CI can read. Written after jest's own
// summary (which comes later in the same tick), so that it is the run's closing line.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `\njest: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
    setImmediate(() => process.stderr.write(line));
  }
}
module.exports = SummaryReporter;

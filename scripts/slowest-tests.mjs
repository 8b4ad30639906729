// Prints the ten slowest tests of a command-2 run: jest's test files (its JSON report) and the
// node test runner's top-level suites (its TAP output; one or a few per file there).
// Usage: `node scripts/slowest-tests.mjs <jest.json> <smoke.tap>`.
import fs from 'node:fs';
import path from 'node:path';

const [jestFile, tapFile] = process.argv.slice(2);
const files = [];
try {
  const jest = JSON.parse(fs.readFileSync(jestFile, 'utf8'));
  for (const r of jest.testResults ?? []) {
    files.push({
      file: path.relative(process.cwd(), r.name),
      seconds: (r.endTime - r.startTime) / 1000,
    });
  }
} catch {
  // no jest report: only the node tests are listed
}
try {
  // A top-level suite is `# Subtest: <name>` at column 0; its `duration_ms` is the first one
  // indented by two spaces after it.
  const lines = fs.readFileSync(tapFile, 'utf8').split('\n');
  let current;
  for (const line of lines) {
    const subtest = /^# Subtest: (.+)$/.exec(line);
    if (subtest) current = subtest[1];
    const duration = /^ {2}duration_ms: ([\d.]+)$/.exec(line);
    if (duration && current) {
      files.push({
        file: `node: ${current}`,
        seconds: Number(duration[1]) / 1000,
      });
      current = undefined;
    }
  }
} catch {
  // no TAP output
}
files.sort((a, b) => b.seconds - a.seconds);
console.log('slowest tests (jest files, node suites):');
for (const { file, seconds } of files.slice(0, 10)) {
  console.log(`${seconds.toFixed(1).padStart(8)} s  ${file}`);
}

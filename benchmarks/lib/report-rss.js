// Preloaded (node --require) into a command a benchmark times: writes the process's peak resident memory in KiB to the
// file BENCH_RSS_FILE names when the process exits (also through process.exit), so the parent can read it.
'use strict';
const fs = require('fs');

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS)));
}

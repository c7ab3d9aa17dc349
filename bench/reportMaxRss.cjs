// Preloaded (node -r) into a benchmarked child process: prints its peak RSS on stderr when it exits.
/* global process */
'use strict';
process.on('exit', () => {
  process.stderr.write(`\nsmtptls-bench-max-rss-kb ${process.resourceUsage().maxRSS}\n`);
});

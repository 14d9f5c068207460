// One Jest run over every project, so CI gets one JSON report with the totals.
const fs = require('node:fs');
const path = require('node:path');

function projectsUnder(dir, depth) {
  const abs = path.join(__dirname, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory() || entry.name === 'node_modules') return [];
    const rel = path.join(dir, entry.name);
    if (fs.existsSync(path.join(__dirname, rel, 'jest.config.js'))) return [`<rootDir>/${rel}`];
    return depth > 0 ? projectsUnder(rel, depth - 1) : [];
  });
}

module.exports = {
  // Integration tests start real servers and child processes; a loaded machine must not fail them.
  testTimeout: 120_000,
  projects: [
    ...projectsUnder('packages', 0),
    ...projectsUnder('apps', 0),
    ...projectsUnder('tools', 1),
    '<rootDir>/packaging',
  ],
};

'use strict';

// CommonJS, so that the .mjs node tests import it natively and the jest tests and benchmarks
// (CommonJS under Backstage's transforms) require it, on every Node version the repo supports.
const { freePort } = require('./freePort.cjs');
const { eventually, waitUntil } = require('./eventually.cjs');
const { runCommand } = require('./runCommand.cjs');
const { groupAlive, killGroup, stopGroup } = require('./processGroup.cjs');
const {
  repoRoot,
  startBackend,
  writeBackendPortConfig,
} = require('./backendProcess.cjs');

module.exports = {
  eventually,
  freePort,
  groupAlive,
  killGroup,
  repoRoot,
  runCommand,
  startBackend,
  stopGroup,
  waitUntil,
  writeBackendPortConfig,
};

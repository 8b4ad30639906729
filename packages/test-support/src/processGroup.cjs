'use strict';

const fs = require('node:fs');

/**
 * Whether process group `pgid` still has a running member. On Linux it reads /proc, so that
 * zombies do not count: children orphaned by the group leader are reparented to PID 1, which in
 * a container may never reap them. Elsewhere it asks the kernel with signal 0.
 */
function groupAlive(pgid) {
  let pids;
  try {
    pids = fs.readdirSync('/proc').filter(name => /^\d+$/.test(name));
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch (error) {
      return error.code === 'EPERM';
    }
  }
  return pids.some(pid => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // After the command name, which may hold spaces and parentheses: state ppid pgrp ...
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === pgid && state !== 'Z' && state !== 'X';
    } catch {
      return false; // exited while we looked
    }
  });
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

/** Resolves once the group has no running member, or after `waitMs`; true if it is gone. */
async function groupGone(pgid, waitMs) {
  const deadline = Date.now() + waitMs;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return true;
}

/**
 * Stops every process of group `pgid`, children of children included: SIGTERM, up to
 * `graceMs` for a clean shutdown, then SIGKILL.
 */
async function stopGroup(pgid, graceMs = 15_000) {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  if (await groupGone(pgid, graceMs)) return;
  await killGroup(pgid);
}

/** SIGKILL to the whole group, no shutdown hooks: as a crashed node or an OOM kill. */
async function killGroup(pgid) {
  signalGroup(pgid, 'SIGKILL');
  await groupGone(pgid, 5_000);
}

module.exports = { groupAlive, killGroup, stopGroup };

'use strict';

const net = require('node:net');

/** A TCP port that was free on 127.0.0.1 a moment ago, for a server the caller starts next. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

module.exports = { freePort };

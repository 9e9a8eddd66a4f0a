// Serving an app on a host and port, and stopping it: open connections are closed too, so shutdown never
// waits on an idle keep-alive browser.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { InputError } from '../errors.js';

/** A listening server. */
export interface RunningServer {
  /** `http://127.0.0.1:7400`: where it answers. */
  url: string;
  host: string;
  /** The port bound (the one chosen by the system when 0 was asked). */
  port: number;
  /** Stops accepting, closes open connections, resolves when done. */
  close(): Promise<void>;
}

/** Starts serving `app` on `host`:`port` (0 picks a free port). */
export async function listen(app: Hono, options: { host: string; port: number }): Promise<RunningServer> {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  // Longer than clients keep idle sockets (fetch: 4 s, browsers and proxies up to about a minute), so the
  // server never closes a socket just as a client sends on it: that race shows as a reset request whenever
  // a long job has kept the event loop busy past the default 5 s.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? 'the address is in use'
          : error.code === 'EACCES'
            ? 'permission denied'
            : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
              ? 'no such address on this machine'
              : error.message;
      reject(
        new InputError(
          `cannot listen on ${options.host}:${options.port}: ${reason}`,
          { key: '--port' },
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostInUrl}:${port}`,
    host: options.host,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapApplication } from './bootstrap';
import { applyEnvFile } from './config/environment';

/** How long a shutdown waits for in-flight requests before it cuts the connections still open. */
const DRAIN_TIMEOUT_MS = 10_000;
/**
 * How long an idle keep-alive connection stays open: longer than a load balancer's idle timeout
 * (60 s is the common default) and a client pool's, so a request is never sent on a connection
 * the server is closing at that moment (Node's 5 s default loses such requests under load).
 */
const KEEP_ALIVE_MS = 65_000;

/**
 * Nest's shutdown hook (enabled in bootstrap) closes the server, which waits for every open
 * request; a stuck client must not hold the process up for ever, so the wait is bounded.
 */
function boundTheDrain(server: Server): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS).unref());
  }
}

async function main(): Promise<void> {
  try {
    // `.env` in the working directory, beneath what the process was started with.
    applyEnvFile('.env');
    const { app, env } = await bootstrapApplication({ nestFactory: NestFactory });
    await app.listen(env.PORT, env.HOST);
    const server = app.getHttpServer() as Server;
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    // Node requires the headers timeout to exceed the keep-alive timeout.
    server.headersTimeout = KEEP_ALIVE_MS + 1_000;
    boundTheDrain(server);
    // The port bound, not the one asked for: with PORT=0 the system picks a free one.
    const { port } = server.address() as AddressInfo;
    Logger.log({ msg: 'listening', port, store: env.EVENT_STORE }, 'Bootstrap');
  } catch (error) {
    // One clear line, no stack trace: configuration and connection errors are for operators.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`placement-api failed to start: ${message}\n`);
    process.exit(1);
  }
}

void main();

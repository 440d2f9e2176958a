import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { bootstrapApplication } from './bootstrap';

async function main(): Promise<void> {
  const logger = new ConsoleLogger({ json: true, logLevels: ['log', 'error', 'warn', 'fatal'] });
  try {
    const { app, env } = await bootstrapApplication({ logger, nestFactory: NestFactory });
    await app.listen(env.PORT, env.HOST);
    Logger.log({ msg: 'listening', port: env.PORT, store: env.EVENT_STORE }, 'Bootstrap');
  } catch (error) {
    // One clear line, no stack trace: configuration and connection errors are for operators.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`placement-api failed to start: ${message}\n`);
    process.exit(1);
  }
}

void main();

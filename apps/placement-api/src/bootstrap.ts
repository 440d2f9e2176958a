import type { INestApplication } from '@nestjs/common';
import type { NestFactory as NestFactoryType } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { Clock } from '@placement/event-store';
import helmet from 'helmet';
import { webFormBodyParser } from '@placement/web';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { Environment, trustProxyOf, validateEnvironment } from './config/environment';
import { jsonBodyParser } from './http/body-parser';
import { buildOpenApiDocument } from './http/openapi';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { createValidationPipe } from './http/validation';
import { bindRequestLogs, createAppLogger, requestLogger } from './logging/logger';
import { Seeder } from './seed/seeder';

export interface BootstrapOptions {
  nestFactory: typeof NestFactoryType;
  /** Where the JSON log lines go (default: standard output); `false` writes none. */
  logger?: DestinationStream | false;
  /** Overrides on top of process.env (tests give a temp SQLITE_PATH, PORT 0, ...). */
  env?: Record<string, string>;
  /**
   * Where "now" comes from (recordedAt, today's business date, hold expiry, the seed's dates).
   * The system clock unless a test injects its own, so no test depends on the wall clock.
   */
  clock?: Clock;
}

/** Builds the configured application without listening, so tests run exactly what `npm start` runs. */
export async function bootstrapApplication(
  options: BootstrapOptions,
): Promise<{ app: INestApplication; env: Environment }> {
  const env = validateEnvironment({ ...process.env, ...options.env });
  const logger = createAppLogger(options.logger === false ? false : env.LOG_LEVEL, options.logger || undefined);
  const app = await options.nestFactory.create<NestExpressApplication>(
    AppModule.register(env, { logger, clock: options.clock }),
    {
      bodyParser: false,
      // Start-up failures (bad config, unreachable store) reach main.ts's one-line handler.
      abortOnError: false,
      // Nest's own start-up lines wait for the app's logger, so they are JSON at LOG_LEVEL too.
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  // Off unless configured: only then does req.ip (and the failed-authentication limit) follow X-Forwarded-For.
  app.set('trust proxy', trustProxyOf(env));
  app.disable('x-powered-by');
  app.use(requestLogger(logger));
  app.use(bindRequestLogs);
  app.use(helmet());
  // Pages send forms (urlencoded); the API takes JSON only.
  app.use(webFormBodyParser(env.MAX_BODY_BYTES, jsonBodyParser(env.MAX_BODY_BYTES)));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  // SIGTERM drains: the HTTP server stops accepting and finishes in-flight requests, then the
  // store closes; the process then exits 0 (a supervisor reads a signal death as a crash).
  app.enableShutdownHooks([], { useProcessExit: true });

  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
  });

  if (env.NODE_ENV === 'development') {
    const banner =
      "DEMO TOKENS ARE ACCEPTED (dev-placement, dev-manager, dev-auditor, dev-admin): not for real children's data. " +
      'Set NODE_ENV=production and API_TOKENS to turn them off.';
    process.stderr.write(`\n*** ${banner} ***\n\n`);
  }
  await app.init();
  if (env.NODE_ENV !== 'production' && env.SEED_DEMO_ESTATE) {
    const seeder = app.get(Seeder);
    if (await seeder.isEmpty()) await seeder.seedRotherham();
  }
  return { app, env };
}

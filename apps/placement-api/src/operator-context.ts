import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { Environment, validateEnvironment } from './config/environment';

/**
 * The application without its HTTP server, for operator commands (seed, rebuild, export):
 * same modules, same handlers, same store configuration as the API. Periodic work is off.
 */
export async function createOperatorContext(
  overrides: Record<string, string> = {},
): Promise<{ context: INestApplicationContext; env: Environment }> {
  const env = validateEnvironment({
    ...process.env,
    SEED_DEMO_ESTATE: 'false',
    RECONCILE_INTERVAL_SECONDS: '0',
    ...overrides,
  });
  const context = await NestFactory.createApplicationContext(AppModule.register(env), { logger: ['error', 'warn'] });
  return { context, env };
}

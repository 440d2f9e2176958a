import { DynamicModule, Module, Scope } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import type { Logger as PinoInstance } from 'pino';
import type { Clock } from '@placement/event-store';
import { AuthGuard, TOKEN_REGISTRY } from './auth/auth.guard';
import { TokenRegistry } from './auth/token-registry';
import { Environment } from './config/environment';
import { ENVIRONMENT } from './config/tokens';
import { CorrelationLogInterceptor } from './logging/correlation.interceptor';
import { AppPinoLogger, createAppLogger } from './logging/logger';
import { HealthModule } from './health/health.module';
import { StoreModule } from './store/store.module';
import { CalendarModule } from './calendar/calendar.module';
import { DirectoryModule } from './directory/directory.module';
import { CommandsModule } from './commands/command';
import { FlowModule } from './commands/flow-runner';
import { SettingsModule } from './settings/settings.module';
import { BedsModule } from './beds/beds.module';
import { HouseholdsModule } from './households/households.module';
import { ContractsModule } from './contracts/contracts.module';
import { ReferralsModule } from './referrals/referrals.module';
import { ChildDetailsModule } from './children/child-details.module';
import { PlacementsModule } from './placements/placements.module';
import { StepDownsModule } from './step-downs/step-downs.module';
import { ProjectionsApiModule } from './projections/projections.module';
import { AuditModule } from './audit/audit.module';
import { AccessModule } from './access/access.module';
import { DiariesModule } from './diaries/diaries.module';
import { AlertsModule } from './alerts/alerts.module';
import { MatchingApiModule } from './matching/matching.module';
import { ExportsModule } from './exports/exports.module';
import { ReconcilerModule } from './reconciler/reconciler.module';
import { SeedModule } from './seed/seed.module';
import { boardModule } from './web/board.module';

@Module({})
export class AppModule {
  /**
   * `logger`: the app's pino logger (bootstrap makes it); operator commands without HTTP get a
   * silent one. `clock`: the system clock unless a test sets one.
   */
  static register(env: Environment, options: { logger?: PinoInstance; clock?: Clock } = {}): DynamicModule {
    const logger = options.logger ?? createAppLogger(false);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ ...env })] }),
        CqrsModule.forRoot(),
        StoreModule.register(env, options.clock),
        CalendarModule,
        HealthModule,
        DirectoryModule,
        CommandsModule,
        // Before the capability modules: Express matches routes in the order they are registered,
        // so the fixed `GET /v1/block-bookings/utilisation` must come before `GET /v1/block-bookings/:id`.
        ProjectionsApiModule,
        FlowModule,
        SettingsModule,
        BedsModule,
        HouseholdsModule,
        ContractsModule,
        ReferralsModule,
        ChildDetailsModule,
        PlacementsModule,
        StepDownsModule,
        AccessModule,
        AlertsModule,
        AuditModule,
        DiariesModule,
        MatchingApiModule,
        ExportsModule,
        ReconcilerModule,
        SeedModule,
        boardModule(env, DEMO_MANAGER_SETTINGS),
      ],
      providers: [
        { provide: ENVIRONMENT, useValue: env },
        // Nest's Logger (bootstrap's useLogger) and PinoLogger (the correlation id) over this app's
        // pino logger. The request logger and its per-request context are plain Express middleware
        // that bootstrap installs first (no routes of their own), so every line in a request names it.
        { provide: PinoLogger, scope: Scope.TRANSIENT, useFactory: () => new AppPinoLogger(logger) },
        { provide: NestPinoLogger, useFactory: () => new NestPinoLogger(new AppPinoLogger(logger), {}) },
        {
          provide: TOKEN_REGISTRY,
          useFactory: () =>
            new TokenRegistry({
              configuredJson: env.API_TOKENS,
              revokedHex: env.REVOKED_TOKEN_SHA256,
              demo: env.NODE_ENV === 'production' ? undefined : { managerSettingIds: DEMO_MANAGER_SETTINGS },
            }),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: CorrelationLogInterceptor },
      ],
      exports: [ENVIRONMENT, PinoLogger, NestPinoLogger],
      global: true,
    };
  }
}

/** The demo residential manager keeps four of the seven seeded homes (not all, to show the limit). */
export const DEMO_MANAGER_SETTINGS: readonly string[] = ['rmbc-ch-01', 'rmbc-ch-02', 'rmbc-ch-03', 'rmbc-ch-04'];

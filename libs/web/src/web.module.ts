import {
  DynamicModule,
  Inject,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnApplicationShutdown,
  Provider,
  Type,
} from '@nestjs/common';
import session from 'express-session';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AssetsController } from './assets.controller';
import { BOARD_PORT, type BoardPort } from './board.port';
import { CapacityController } from './capacity/capacity.controller';
import { VIEWS, WebExceptionFilter } from './pages/web-exception.filter';
import { CsrfMiddleware } from './session/csrf.middleware';
import { pageSecurityHeaders } from './session/security-headers';
import { SignedInGuard } from './session/signed-in.guard';
import { SqliteSessionStore } from './session/sqlite-session-store';
import './session/viewer-session';
import { SignInController } from './sign-in/sign-in.controller';
import { ReferralsController } from './referrals/referrals.controller';
import { HomesController } from './homes/homes.controller';
import { AuditController } from './audit/audit.controller';
import { SufficiencyController } from './sufficiency/sufficiency.controller';
import { NotFoundController } from './pages/not-found.controller';
import { WorkQueueController } from './work-queue/work-queue.controller';
import { createViews } from './views';
import { WEB_OPTIONS, type WebOptions } from './web-options';

/** The session cookie's name: not express-session's default, which names the framework. */
export const SESSION_COOKIE = 'board.sid';

const PAGES = [
  SignInController,
  CapacityController,
  WorkQueueController,
  ReferralsController,
  HomesController,
  AuditController,
  SufficiencyController,
];
const SESSION_STORE = Symbol('SESSION_STORE');

/**
 * The placement board: server-rendered GOV.UK pages at `/`, served by the API process. It knows
 * the engine only through `BoardPort`, which the API implements with its own route handlers.
 */
@Module({})
export class WebModule implements NestModule, OnApplicationShutdown {
  constructor(
    @Inject(WEB_OPTIONS) private readonly options: WebOptions,
    @Inject(SESSION_STORE) private readonly store: SqliteSessionStore,
  ) {}

  static register(
    options: WebOptions,
    port: Type<BoardPort>,
    portImports: DynamicModule['imports'] = [],
  ): DynamicModule {
    const providers: Provider[] = [
      { provide: WEB_OPTIONS, useValue: options },
      { provide: BOARD_PORT, useClass: port },
      { provide: VIEWS, useFactory: createViews },
      {
        provide: SESSION_STORE,
        useFactory: () => {
          mkdirSync(path.dirname(path.resolve(options.sessionFile)), { recursive: true });
          return new SqliteSessionStore(options.sessionFile, options.sessionMaxAgeMinutes * 60_000);
        },
      },
      SignedInGuard,
      WebExceptionFilter,
    ];
    return {
      module: WebModule,
      imports: portImports,
      controllers: [AssetsController, ...PAGES, NotFoundController],
      providers,
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(
        pageSecurityHeaders(this.options.production),
        session({
          name: SESSION_COOKIE,
          secret: this.options.sessionSecret,
          store: this.store,
          resave: false,
          saveUninitialized: false,
          rolling: true,
          cookie: {
            httpOnly: true,
            secure: this.options.production,
            sameSite: 'lax',
            maxAge: this.options.sessionMaxAgeMinutes * 60_000,
          },
        }),
        CsrfMiddleware,
      )
      .forRoutes(...PAGES);
  }

  onApplicationShutdown(): void {
    this.store.close();
  }
}

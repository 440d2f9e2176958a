import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Clock, EventStore, systemClock } from '@placement/event-store';
import { LogTail } from './log-tail';
import { openConfiguredStore } from './open-store';
import { ReadersSnapshotFile } from './readers-snapshot';
import type { Environment } from '../config/environment';

export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
/** The LogTail the app's in-memory readers share: the log is read once for all of them. */
export const LOG_TAIL = Symbol('LOG_TAIL');

/** The in-memory readers' snapshot: a file beside the read models (it is one too, kept in memory). */
export function readersSnapshotPathOf(env: Pick<Environment, 'READ_MODEL_PATH'>): string {
  return `${env.READ_MODEL_PATH}.readers-snapshot`;
}

@Injectable()
class StoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Runs after the HTTP server stopped taking requests, so in-flight appends finish first. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Module({})
export class StoreModule {
  static register(env: Environment, clock: Clock = systemClock): DynamicModule {
    return {
      module: StoreModule,
      global: true,
      providers: [
        { provide: CLOCK, useValue: clock },
        { provide: EVENT_STORE, useFactory: () => openConfiguredStore(env, clock) },
        {
          provide: LOG_TAIL,
          useFactory: (store: EventStore) =>
            new LogTail(store, LogTail.name, undefined, -1n, new ReadersSnapshotFile(readersSnapshotPathOf(env))),
          inject: [EVENT_STORE],
        },
        StoreLifecycle,
      ],
      exports: [EVENT_STORE, CLOCK, LOG_TAIL],
    };
  }
}

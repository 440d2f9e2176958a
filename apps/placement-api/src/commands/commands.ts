import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventStore } from '@placement/event-store';
import { UnitDirectory } from '../directory/unit-directory';
import { EVENT_STORE } from '../store/store.module';
import type { ApiCommand } from './command-base';
import { assertSameRequest } from './id-in-use';

/**
 * How a controller sends a command: before the handler runs, the command's id is looked up in
 * the log — a command may have written first to a stream this request would not touch (a bed
 * other than the one now named, another child's record, another resource under a reused
 * Idempotency-Key) — and a different request under a used id is refused `ID_IN_USE` before any
 * rule is checked or any unit taken. The lookup waits until the directory has seen the log's
 * head. Each handler's `handle()` checks again on the streams it writes.
 */
@Injectable()
export class Commands {
  constructor(
    private readonly bus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  async execute<R>(command: ApiCommand<unknown>): Promise<R> {
    await this.assertIdMeansThisRequest(command);
    return this.bus.execute<ApiCommand<unknown>, R>(command);
  }

  private async assertIdMeansThisRequest({ ctx }: ApiCommand<unknown>): Promise<void> {
    if (ctx.digest === undefined) return;
    await this.directory.caughtUp();
    const streamId = this.directory.streamOfCommand(ctx.commandId);
    if (streamId === undefined) return;
    assertSameRequest(await this.store.readStream(streamId), ctx);
  }
}

@Global()
@Module({ providers: [Commands], exports: [Commands] })
export class CommandsModule {}

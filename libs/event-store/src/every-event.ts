import type { EventStore, RecordedEvent } from './port';

/** Every recorded event, oldest first, read in pages so the store never materialises the log twice. */
export async function* everyEvent(store: EventStore, pageSize = 10_000): AsyncGenerator<RecordedEvent> {
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].position;
  }
}

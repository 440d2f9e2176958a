export {
  DEFAULT_STREAM_PREFIX,
  eventStoreDbOverClient,
  openEventStoreDbEventStore,
  type EventStoreDbOptions,
  type ReconnectNotice,
  type RetryNotice,
} from './eventstoredb-event-store';
export type { ForeignEventNotice } from './mapping';

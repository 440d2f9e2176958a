export * from './audit';
export * from './read-model-db';
export * from './projection';
export * from './runner';
export * from './calendar';
export * from './capacity/capacity.projection';
export * from './capacity/capacity.query';
export * from './capacity/capacity.page';
export * from './capacity/capacity.summary';
export * from './block-bookings/utilisation.projection';
export * from './block-bookings/utilisation.query';
export * from './sufficiency/sufficiency.projection';
export * from './sufficiency/sufficiency.query';
export * from './need-to-know';
export * from './lists';
export * from './alerts';
export { allProjections } from './all';
export {
  syntheticEvents,
  type StreamEvent,
  type DomainEvent,
  type SyntheticOptions,
} from './synthetic/synthetic-events';
export { appendAll, toAppend } from './synthetic/append';

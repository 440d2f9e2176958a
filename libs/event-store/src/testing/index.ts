export {
  describeEventStoreContract,
  eventually,
  type ContractFixture,
  type ContractOptions,
  type TamperHookName,
  type TamperHooks,
} from './contract';
export { anEvent, someMetadata } from './events';
export { readEveryEvent } from './every-event';

export {
  describeEventStoreContract,
  type ContractFixture,
  type ContractOptions,
  type TamperHookName,
  type TamperHooks,
} from './contract';

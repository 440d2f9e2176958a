export {
  describeEventStoreContract,
  eventually,
  type ContractFixture,
  type ContractOptions,
  type TamperHookName,
  type TamperHooks,
} from './contract';

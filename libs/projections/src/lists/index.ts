export * from './page';
export * from './bodies';
export * from './referral-list.projection';
export * from './referral-list.query';
export * from './child-list.projection';
export * from './child-list.query';
export * from './estate-list.projection';
export * from './estate-list.query';

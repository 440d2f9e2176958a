export * from './child-homes.projection';
export * from './child-homes.query';

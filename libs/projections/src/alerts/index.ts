export * from './alerts.projection';
export * from './alerts.query';

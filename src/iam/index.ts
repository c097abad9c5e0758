export * from './xray-write-policy';
export * from './xray-grants';

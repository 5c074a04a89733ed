/** The ladder domain: content model, validation, lookup and comparison. Pure. */
export * from './build.ts';
export * from './compare.ts';
export * from './model.ts';
export * from './normalise.ts';
export * from './resolve.ts';
export * from './schema.ts';

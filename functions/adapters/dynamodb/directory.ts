/**
 * The loaded data file in DynamoDB: the key schema and its layout (directory-keys.ts), the Lambda's read
 * side (directory-reader.ts, the `Directory` port) and the loader the CLI and local server use
 * (directory-loader.ts). This module keeps the one import path for all three.
 */
export { DynamoDirectory, type DirectoryOptions } from './directory-reader.js';
export { loadDirectory, newGeneration, type LoadOptions, type LoadResult } from './directory-loader.js';

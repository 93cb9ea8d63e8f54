/**
 * `handover seal`: the sealing itself lives in documents/seal.ts, since `new` seals its own
 * output with it too.
 */
export { type SealedFile, type SealOptions, type SealResult, seal } from '../documents/seal.js';

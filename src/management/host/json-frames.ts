/**
 * The framing of the host channel, one implementation for both ends: the host's worker runs as
 * plain JavaScript inside the sandbox, so the code lives beside it (`worker/plugin-host-json.mjs`,
 * typed by its `.d.mts`) and the agent imports the same file: one JSON document per line, values
 * made JSON-safe first, and a line past the cap ends the reading.
 */
export { encodeFrame, readFrames, toJsonSafe } from '../../../worker/plugin-host-json.mjs';

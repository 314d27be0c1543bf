export { ensureToolchain, linkToolchain, type Toolchain } from './toolchain.js';
